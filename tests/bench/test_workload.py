"""The benchmark workload: deterministic for a seed, valid input, shaped like the corpus."""

from __future__ import annotations

import json
import random
import statistics

import pytest

from bench.workload import CORPUS, generate, read_corpus, thread_sizes, write_jsonl
from service.validation import parse_thread
from service.vocab import LANGUAGES


@pytest.fixture(scope="module")
def threads():
    return generate(threads=40, comments=800, seed=3)


def test_same_seed_same_threads_other_seed_others(threads):
    assert generate(threads=40, comments=800, seed=3) == threads
    assert generate(threads=40, comments=800, seed=4) != threads


def test_counts_and_contract_shape(threads, tmp_path):
    assert len(threads) == 40 and sum(len(t["comments"]) for t in threads) == 800
    assert len({t["id"] for t in threads}) == 40
    path = write_jsonl(threads, tmp_path / "w.jsonl")
    for line in path.read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        assert "language" not in raw and "labels" not in raw
        assert all("labels" not in c and "language" not in c for c in raw["comments"])
        thread = parse_thread(raw, id_required=True)  # raises when the shape is wrong
        assert len(thread.comments) == len(raw["comments"])


def test_comment_lengths_and_languages_like_the_corpus(threads):
    corpus = read_corpus(CORPUS)
    texts = {c["text"]: t["language"] for t in corpus for c in t["comments"]}
    generated = [c["text"] for t in threads for c in t["comments"]]
    languages = {texts.get(text) for text in generated}
    assert set(LANGUAGES) <= languages  # mixed, and drawn from the corpus (mentions aside)
    ours = statistics.median(len(text.split()) for text in generated)
    theirs = statistics.median(len(text.split()) for text in texts)
    assert 0.6 * theirs <= ours <= 1.6 * theirs


@pytest.mark.parametrize(("threads", "comments"), [(1, 1), (5, 5), (7, 100), (30, 5000)])
def test_thread_sizes_add_up(threads, comments):
    sizes = thread_sizes(random.Random(0), [2, 12, 60], threads, comments)
    assert len(sizes) == threads and sum(sizes) == comments and min(sizes) >= 1


def test_too_few_comments_for_the_threads():
    with pytest.raises(ValueError, match="cannot fill"):
        thread_sizes(random.Random(0), [3], 10, 5)
