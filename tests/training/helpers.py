"""Paths and the small corpus cut from data/samples that the training tests share."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from training.corpus import read_split

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
BUNDLED = Path(__file__).resolve().parents[2] / "models" / "2026-11-22-96b4b1d"
CONFIG = Path(__file__).resolve().parents[2] / "training" / "config.toml"
TRAIN_PER_LANGUAGE, TEST_PER_LANGUAGE = 12, 3


def write_subset(folder: Path) -> Path:
    """The first training and test threads of each language of data/samples/threads.jsonl,
    with the test split file cut to match (the corpus grows, so nothing is counted here)."""
    test_ids = read_split(SAMPLES)
    picked: dict[tuple[str, bool], list[str]] = {}
    lines = []
    for line in (SAMPLES / "threads.jsonl").read_text(encoding="utf-8").splitlines():
        thread = json.loads(line)
        key = (thread["language"], thread["id"] in test_ids)
        room = TEST_PER_LANGUAGE if key[1] else TRAIN_PER_LANGUAGE
        if len(picked.setdefault(key, [])) < room:
            picked[key].append(thread["id"])
            lines.append(line)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "threads.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tests = [i for (_, is_test), ids in picked.items() if is_test for i in ids]
    (folder / "test_threads.txt").write_text("\n".join(tests) + "\n", encoding="utf-8")
    return folder


def copy_bundle(models: Path, name: str, version: str | None = None) -> Path:
    """A copy of the bundled model under another name (and model_version: not checksummed)."""
    target = models / name
    target.mkdir(parents=True)
    for part in ("model.json", "model.npz", "metadata.json"):
        shutil.copy(BUNDLED / part, target / part)
    meta = json.loads((target / "metadata.json").read_text())
    meta["model_version"] = version or name
    (target / "metadata.json").write_text(json.dumps(meta))
    return target


def tamper(bundle: Path) -> None:
    """Change one byte of the model's arrays (the checksum in the metadata stays)."""
    data = bytearray((bundle / "model.npz").read_bytes())
    data[len(data) // 3] ^= 0x01
    (bundle / "model.npz").write_bytes(bytes(data))


def drop_part(bundle: Path, classifier: str) -> None:
    """Remove a classifier from model.json, with the checksums rewritten to match: a bundle
    whose files are intact but which lacks a part."""
    from service.scoring.bundles import sha256_of

    spec = json.loads((bundle / "model.json").read_text())
    del spec["classifiers"][classifier]
    (bundle / "model.json").write_text(json.dumps(spec))
    meta = json.loads((bundle / "metadata.json").read_text())
    meta["model_files"]["model.json"] = sha256_of(bundle / "model.json")
    (bundle / "metadata.json").write_text(json.dumps(meta))
