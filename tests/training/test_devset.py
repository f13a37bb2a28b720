"""The blind dev set: well formed, rebuilt exactly from its passes, never in the training data."""

from __future__ import annotations

import json
from pathlib import Path

from service.nlp.text import normalise_for_duplicates as near_duplicate_key
from service.vocab import LANGUAGES
from training.corpus import check_corpus
from training.devset import agreement, disagreements, merge
from training.inputs import data_files

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "data" / "dev"
SAMPLES = ROOT / "data" / "samples"


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _passes() -> tuple[list[dict], dict, dict, dict]:
    raw = [t for p in sorted((DEV / "raw").glob("*.jsonl")) for t in _read(p)]
    a = {t["id"]: t for p in sorted((DEV / "labels" / "a").glob("*.jsonl")) for t in _read(p)}
    b = {t["id"]: t for p in sorted((DEV / "labels" / "b").glob("*.jsonl")) for t in _read(p)}
    decided = {(d["thread"], d["comment"], d["field"]): d["final"]
               for p in sorted((DEV / "agreement").glob("adjudication*.jsonl")) for d in _read(p)}
    return raw, a, b, decided


def test_dev_set_passes_the_corpus_checker_and_is_large_enough():
    assert not check_corpus([DEV / "threads.jsonl"]).errors
    threads = _read(DEV / "threads.jsonl")
    per_lang = {lang: sum(len(t["comments"]) for t in threads if t["language"] == lang)
                for lang in LANGUAGES}
    assert sum(per_lang.values()) >= 1500 and abs(per_lang["fr"] - per_lang["en"]) < 100
    assert len({t["register"] for t in threads}) >= 8


def test_threads_file_is_the_merge_of_both_passes_and_the_adjudication():
    raw, a, b, decided = _passes()
    merged, missing = merge(raw, a, b, decided)
    assert not missing
    assert merged == _read(DEV / "threads.jsonl")
    # every adjudicated item was a real disagreement, decided for one of the two passes
    # (or, for a health rating, between them)
    keys = {(d["thread"], d["comment"], d["field"]) for d in disagreements(raw, a, b)}
    assert set(decided) == keys


def test_agreement_is_what_the_card_reports():
    raw, a, b, _ = _passes()
    overall = agreement(raw, a, b)["all"]
    card = (DEV / "README.md").read_text(encoding="utf-8")
    assert f"{overall['act']['kappa']:.3f} ({overall['act']['agreement']:.3f})" in card
    assert f"{overall['flags']['kappa']:.3f}" in card


def test_no_dev_text_is_in_the_training_corpus():
    """Never trained on: no thread id, and no comment of 8 words or more (near-duplicates
    included) is shared; shorter stock phrases ("qui écoute encore ça en 2026 ??") recur
    naturally between writers."""
    dev = _read(DEV / "threads.jsonl")
    train = [t for f in data_files([SAMPLES]) if f.suffix == ".jsonl" for t in _read(f)]
    assert not {t["id"] for t in dev} & {t["id"] for t in train}
    train_keys = {near_duplicate_key(c["text"]) for t in train for c in t["comments"]}
    shared = [c["text"] for t in dev for c in t["comments"]
              if len(near_duplicate_key(c["text"]).split()) >= 8
              and near_duplicate_key(c["text"]) in train_keys]
    assert not shared, shared[:5]
