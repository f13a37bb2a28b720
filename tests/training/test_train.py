"""Training writes a complete bundle, leaves the test split out and is deterministic."""

from __future__ import annotations

import csv
import json

from service.nlp.language import LanguageDetector
from service.scoring.bundles import load_bundle, sha256_of, verify
from service.scoring.engine import Engine
from service.vocab import LANGUAGES
from tests.training.helpers import CONFIG
from training.corpus import read_corpus
from training.evaluate import analyse_corpus
from training.train import train

PLOTS = {"confusion_act_fr.png", "confusion_act_en.png", "confusion_promotion_fr.png",
         "confusion_promotion_en.png", "reliability.png", "health_by_rating.png"}


def engine_of(path, pipelines) -> Engine:
    return Engine(load_bundle(path), pipelines, LanguageDetector(seed=0))


def test_bundle_has_model_metadata_checksum_and_report(trained, subset):
    names = {p.name for p in trained.iterdir()}
    assert {"model.json", "model.npz", "metadata.json", "SHA256SUMS", "report.md"} | PLOTS <= names
    assert "model.joblib" not in names
    meta = verify(trained)
    for key in ("libraries", "labels", "languages", "data", "config", "seed", "git_commit",
                "created_at", "metrics", "promotion_threshold", "threshold_selection"):
        assert key in meta, key
    assert meta["data"] == {str(subset / "threads.jsonl"): sha256_of(subset / "threads.jsonl")}
    assert set(meta["metrics"]["cv"]) == set(LANGUAGES)
    assert meta["libraries"]["scikit-learn"]


def test_threshold_chosen_on_cross_validation_and_used(trained, pipelines):
    meta = json.loads((trained / "metadata.json").read_text())
    selection = meta["threshold_selection"]
    # the config's rule: the lowest cut flagging at most its share of genuine comments
    assert selection["method"] == "cv_genuine_flagged" and "out-of-fold" in selection["how"]
    assert selection["max_genuine_flagged"] == meta["config"]["promotion"]["max_genuine_flagged"]
    assert selection["cv_genuine_flagged"] <= selection["max_genuine_flagged"]
    assert 0 < meta["promotion_threshold"] < 1
    assert engine_of(trained, pipelines).threshold == meta["promotion_threshold"]


def test_fixed_test_split_is_left_out(trained, subset):
    threads = read_corpus([subset])
    meta = json.loads((trained / "metadata.json").read_text())
    assert meta["training"]["threads"] == sum(t["_split"] == "train" for t in threads)
    assert meta["training"]["test_split_included"] is False


def test_same_data_config_seed_same_model_metrics_predictions(trained, subset, pipelines,
                                                              tmp_path):
    again = train([subset], CONFIG, tmp_path / "again", pipelines=pipelines, report=False)
    first = json.loads((trained / "metadata.json").read_text())
    for key in ("metrics", "promotion_threshold", "threshold_selection", "health_params",
                "model_files", "model_version"):
        assert again[key] == first[key], key
    threads = [t for t in read_corpus([subset]) if t["_split"] == "test"]
    assert (analyse_corpus(engine_of(trained, pipelines), threads)
            == analyse_corpus(engine_of(tmp_path / "again", pipelines), threads))


def _as_csv(subset, path):
    """The subset's training threads as flat CSV rows (no health ratings)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["thread_id", "id", "author", "reply_to", "text", "act", "promotion",
                      "language"])
        for t in read_corpus([subset]):
            if t["_split"] == "train":
                for c in t["comments"]:
                    out.writerow([t["id"], c["id"], c["author"], c.get("reply_to") or "",
                                  c["text"], c["labels"]["act"], c["labels"]["promotion"],
                                  c["labels"]["language"]])
    return path


def test_csv_data_and_a_fixed_threshold(subset, pipelines, tmp_path):
    config = tmp_path / "config.toml"
    fixed = CONFIG.read_text().replace('threshold = "cv_genuine_flagged"', "threshold = 0.42")
    assert "threshold = 0.42" in fixed
    config.write_text(fixed)
    meta = train([_as_csv(subset, tmp_path / "flat.csv")], config, tmp_path / "m",
                 pipelines=pipelines, report=False)
    assert meta["promotion_threshold"] == 0.42
    assert meta["threshold_selection"]["method"] == "fixed"
    assert meta["training"]["rated_threads"] == 0  # health weights keep their defaults
    assert meta["health_params"]["penalty"] == 0.9


def test_cli_reports_bad_rows_and_trains_nothing(runner, tmp_path):
    from service.cli import main

    bad = tmp_path / "bad.csv"
    bad.write_text("text,act,promotion,language\nHello there,listening,dialogue,en\n"
                   "Buy now,advert,dialogue,en\n,broadcast,dialogue,xx\n")
    result = runner.invoke(main, ["train", "--data", str(bad), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert f"{bad}:3: act: must be one of ['broadcast', 'listening', 'contribution'], " \
           "got 'advert'" in result.output
    assert f"{bad}:4: text: must not be empty; language: must be one of ['fr', 'en', " \
           "'other'], got 'xx'" in result.output
    assert "2 error(s) in the data" in result.output
    assert not (tmp_path / "m").exists()


def test_counterfactual_copies_keep_labels_and_structure():
    from training.augment import SUFFIX, counterfactual_thread, original_id

    thread = {"id": "t1", "language": "en", "labels": {"health": 3, "flags": []}, "comments": [
        {"id": "c1", "author": "ana", "text": "How do you keep members after the first month?",
         "reply_to": None, "labels": {"act": "listening", "promotion": "dialogue"}},
        {"id": "c2", "author": "shop", "text": "Buy my course today https://shop.example/x",
         "reply_to": None, "labels": {"act": "broadcast", "promotion": "self_promotion"}},
        {"id": "c3", "author": "ben", "text": "We paired newcomers with old members.",
         "reply_to": "c1", "labels": {"act": "contribution", "promotion": "dialogue"}}]}
    import random

    copy = counterfactual_thread(thread, random.Random(0), share=1.0)
    assert copy["id"] == "t1" + SUFFIX and original_id(copy["id"]) == "t1"
    assert [c["labels"] for c in copy["comments"]] == [c["labels"] for c in thread["comments"]]
    assert [c["reply_to"] for c in copy["comments"]] == [None, None, "c1"]
    assert all(a["text"] != b["text"] for a, b in zip(copy["comments"], thread["comments"],
                                                        strict=True))
    assert "https://" not in copy["comments"][1]["text"]  # the pitch lost its link
