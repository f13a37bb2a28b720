"""The blind dev sets (the first one, and the second, untouched sample in ``second/``): well
formed, rebuilt exactly from their passes, never in the training data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.nlp.text import normalise_for_duplicates as near_duplicate_key
from service.vocab import LANGUAGES
from training.corpus import check_corpus
from training.devset import agreement, disagreements, merge
from training.inputs import data_files

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "data" / "dev"
SAMPLES = ROOT / "data" / "samples"
# (folder, fewest comments): the second sample is a smaller confirmation set
SETS = [(DEV, 1500), (DEV / "second", 1000)]
EACH_SET = pytest.mark.parametrize("dev", [s[0] for s in SETS], ids=["first", "second"])


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _passes(dev: Path) -> tuple[list[dict], dict, dict, dict]:
    raw = [t for p in sorted((dev / "raw").glob("*.jsonl")) for t in _read(p)]
    a = {t["id"]: t for p in sorted((dev / "labels" / "a").glob("*.jsonl")) for t in _read(p)}
    b = {t["id"]: t for p in sorted((dev / "labels" / "b").glob("*.jsonl")) for t in _read(p)}
    decided = {(d["thread"], d["comment"], d["field"]): d["final"]
               for p in sorted((dev / "agreement").glob("adjudication*.jsonl")) for d in _read(p)}
    return raw, a, b, decided


@pytest.mark.parametrize(("dev", "fewest"), SETS, ids=["first", "second"])
def test_dev_set_passes_the_corpus_checker_and_is_large_enough(dev, fewest):
    assert not check_corpus([dev / "threads.jsonl"]).errors
    threads = _read(dev / "threads.jsonl")
    per_lang = {lang: sum(len(t["comments"]) for t in threads if t["language"] == lang)
                for lang in LANGUAGES}
    assert sum(per_lang.values()) >= fewest and abs(per_lang["fr"] - per_lang["en"]) < 100
    assert len({t["register"] for t in threads}) >= 8


@EACH_SET
def test_threads_file_is_the_merge_of_both_passes_and_the_adjudication(dev):
    raw, a, b, decided = _passes(dev)
    merged, missing = merge(raw, a, b, decided)
    assert not missing
    assert merged == _read(dev / "threads.jsonl")
    # every adjudicated item was a real disagreement, decided for one of the two passes
    # (or, for a health rating, between them)
    keys = {(d["thread"], d["comment"], d["field"]) for d in disagreements(raw, a, b)}
    assert set(decided) == keys


@EACH_SET
def test_agreement_is_what_the_card_reports(dev):
    raw, a, b, _ = _passes(dev)
    overall = agreement(raw, a, b)["all"]
    card = (dev / "README.md").read_text(encoding="utf-8")
    assert f"{overall['act']['kappa']:.3f} ({overall['act']['agreement']:.3f})" in card
    assert f"{overall['flags']['kappa']:.3f}" in card


@EACH_SET
def test_no_dev_text_is_in_the_training_corpus(dev):
    """Never trained on: no thread id, and no comment of 8 words or more (near-duplicates
    included) is shared; shorter stock phrases ("qui écoute encore ça en 2026 ??") recur
    naturally between writers."""
    dev = _read(dev / "threads.jsonl")
    train = [t for f in data_files([SAMPLES]) if f.suffix == ".jsonl" for t in _read(f)]
    assert not {t["id"] for t in dev} & {t["id"] for t in train}
    train_keys = {near_duplicate_key(c["text"]) for t in train for c in t["comments"]}
    shared = [c["text"] for t in dev for c in t["comments"]
              if len(near_duplicate_key(c["text"]).split()) >= 8
              and near_duplicate_key(c["text"]) in train_keys]
    assert not shared, shared[:5]


def test_the_two_dev_samples_share_no_thread_or_long_comment():
    first, second = (_read(d / "threads.jsonl") for d, _ in SETS)
    assert not {t["id"] for t in first} & {t["id"] for t in second}
    keys = {near_duplicate_key(c["text"]) for t in first for c in t["comments"]
            if len(near_duplicate_key(c["text"]).split()) >= 8}
    assert not [c["text"] for t in second for c in t["comments"]
                if near_duplicate_key(c["text"]) in keys]
