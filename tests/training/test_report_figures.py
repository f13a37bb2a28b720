"""The report's figures agree with scikit-learn on a small fixture of predictions."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    f1_score,
    precision_score,
    recall_score,
)

from service.vocab import ACTS, FLAGS, LANGUAGES, LEVELS
from training.predictions import ThreadPrediction, level_of_rating
from training.report import Comparison, build_report, write_report

THRESHOLD = 0.45
META = {"model_version": "fixture-model", "created_at": "2026-12-01T00:00:00+00:00",
        "git_commit": "abc", "seed": 0, "training": {}, "promotion_threshold": THRESHOLD,
        "threshold_selection": {"how": "fixed for the test"}, "config": {"promotion": {}},
        "libraries": {"numpy": "x"}, "model_files": {"model.json": "0" * 64}, "data": {},
        "health_params": {"healthy_at": 60, "at_risk_at": 35}}


def fixture(seed: int, n: int = 24, registers: bool = False) -> list[ThreadPrediction]:
    """Threads of random but plausible predictions, with flags, levels and texts."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        size = int(rng.integers(3, 10))
        gold = rng.integers(0, 3, size)
        proba = rng.dirichlet(np.ones(3), size) * 0.5
        proba[np.arange(size), gold] += 0.5
        promo = rng.random(size) < 0.3
        score = np.clip(promo * 0.3 + rng.random(size) * 0.6, 0, 1).round(4)
        rating = int(rng.integers(1, 6)) if i % 5 else None  # some threads unrated
        out.append(ThreadPrediction(
            f"t{i}", "fr" if i % 2 else "en", gold, proba, promo, score, score >= THRESHOLD,
            rating, int(rng.integers(0, 101)), comment_ids=[f"c{k}" for k in range(size)],
            texts=[f"comment {k} of thread {i} | with a pipe" for k in range(size)],
            register=("qa", "news")[i % 2] if registers else None,
            flags_gold=tuple(f for f in FLAGS if rng.random() < 0.4),
            flags_pred=tuple(f for f in FLAGS if rng.random() < 0.4),
            level_pred=LEVELS[int(rng.integers(0, 3))]))
    return out


def comments(preds, lang):
    mine = [p for p in preds if p.language == lang]
    return (np.concatenate([p.promo_gold for p in mine]),
            np.concatenate([p.promo_score for p in mine]),
            np.concatenate([p.act_gold for p in mine]),
            np.concatenate([p.act_proba for p in mine]), mine)


@pytest.fixture(scope="module")
def preds():
    return fixture(0)


@pytest.fixture(scope="module")
def figures(preds):
    return build_report(META, preds, "test", resamples=200)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_calibration_matches_scikit_learn(figures, preds, lang):
    y, p, gold, proba, _ = comments(preds, lang)
    promo = figures["calibration"][lang]["promotion"]
    assert promo["brier"] == pytest.approx(brier_score_loss(y, p), abs=1e-4)
    observed, predicted = calibration_curve(y, p, n_bins=10, strategy="uniform")
    bins = [b for b in promo["bins"] if b["count"]]
    assert [b["observed"] for b in bins] == pytest.approx(observed, abs=1e-4)
    assert [b["mean_predicted"] for b in bins] == pytest.approx(predicted, abs=1e-4)
    assert sum(b["count"] for b in promo["bins"]) == len(y)
    counts = np.array([b["count"] for b in bins])
    assert promo["ece"] == pytest.approx(
        np.sum(counts / len(y) * np.abs(predicted - observed)), abs=1e-4)
    act = figures["calibration"][lang]["act"]
    assert act["brier"] == pytest.approx(brier_score_loss(gold, proba, labels=[0, 1, 2]),
                                         abs=1e-4)
    right = proba.argmax(axis=1) == gold
    observed, predicted = calibration_curve(right, proba.max(axis=1), n_bins=10)
    assert [b["observed"] for b in act["bins"] if b["count"]] == pytest.approx(observed,
                                                                                abs=1e-4)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_threshold_curves_match_scikit_learn(figures, preds, lang):
    y, p, *_ = comments(preds, lang)
    curves = figures["threshold_curves"][lang]
    assert curves["average_precision"] == pytest.approx(average_precision_score(y, p), abs=1e-4)
    for row in curves["cuts"]:
        labelled = p >= row["threshold"]
        assert row["precision"] == pytest.approx(precision_score(y, labelled, zero_division=0),
                                                 abs=1e-4)
        assert row["recall"] == pytest.approx(recall_score(y, labelled), abs=1e-4)
        assert row["f1"] == pytest.approx(f1_score(y, labelled), abs=1e-4)
    assert curves["chosen"] in curves["cuts"] and curves["chosen"]["threshold"] == THRESHOLD
    assert curves["chosen"]["f1"] == pytest.approx(f1_score(y, p >= THRESHOLD), abs=1e-4)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_flag_f1_and_level_accuracy_match_scikit_learn(figures, preds, lang):
    rated = [t for t in comments(preds, lang)[4] if t.rating is not None]
    metrics = figures["metrics"][lang]["metrics"]
    for flag in FLAGS:
        expected = f1_score([flag in t.flags_gold for t in rated],
                            [flag in t.flags_pred for t in rated], zero_division=0)
        assert metrics[f"flag_{flag}_f1"]["model"]["value"] == pytest.approx(expected, abs=1e-4)
        assert metrics[f"flag_{flag}_f1"]["model"]["low"] is not None
    pairs = [(f, t) for t in rated for f in FLAGS]
    micro = f1_score([f in t.flags_gold for f, t in pairs], [f in t.flags_pred for f, t in pairs])
    assert metrics["flag_micro_f1"]["model"]["value"] == pytest.approx(micro, abs=1e-4)
    accuracy = accuracy_score([level_of_rating(t.rating) for t in rated],
                              [t.level_pred for t in rated])
    assert metrics["health_level_accuracy"]["model"]["value"] == pytest.approx(accuracy,
                                                                               abs=1e-4)
    low, high = (metrics["health_level_accuracy"]["model"][k] for k in ("low", "high"))
    assert low <= accuracy <= high


def test_no_thread_labels_no_flag_or_level_figures(preds):
    unrated = [ThreadPrediction(**{**p.__dict__, "rating": None}) for p in preds]
    metrics = build_report(META, unrated, "test", resamples=100)["metrics"]["fr"]["metrics"]
    assert "health_level_accuracy" not in metrics and "flag_micro_f1" not in metrics


def test_most_confident_errors_per_class(figures, preds):
    for axis in ("act", "promotion"):
        for gold, errors in figures["errors"][axis].items():
            assert len(errors) <= 20
            probabilities = [e["probability"] for e in errors]
            assert probabilities == sorted(probabilities, reverse=True)
            assert all(e["gold"] == gold and e["predicted"] != gold for e in errors)
    every = [(p, k) for p in preds for k in range(len(p.act_gold))
             if p.act_gold[k] == 0 and p.act_pred[k] != 0]
    top = sorted(every, key=lambda pk: -pk[0].act_proba[pk[1]].max())[:20]
    assert [(e["thread"], e["comment"]) for e in figures["errors"]["act"][ACTS[0]]] == \
        [(p.id, p.comment_ids[k]) for p, k in top]
    missed = [(p, k) for p in preds for k in range(len(p.promo_gold))
              if p.promo_gold[k] and not p.promo_pred[k]]
    assert len(figures["errors"]["promotion"]["self_promotion"]) == min(20, len(missed))
    first = figures["errors"]["promotion"]["self_promotion"][0]
    assert first["probability"] == pytest.approx(max(1 - p.promo_score[k] for p, k in missed))


def test_registers_and_small_set_warnings(tmp_path):
    preds = fixture(1, registers=True)
    figures = build_report(META, preds, "test", resamples=100)
    assert list(figures["metrics"]) == ["fr", "en", "register:news", "register:qa"]
    news = [p for p in preds if p.register == "news"]
    assert figures["metrics"]["register:news"]["threads"] == len(news)
    assert any(w.startswith(f"register news: {len(news)} threads in the report's data (fewer "
                            "than 30)") for w in figures["warnings"])
    assert any(w.startswith("French: 12 threads") for w in figures["warnings"])
    assert not [w for w in build_report(META, fixture(2, n=80), "test", resamples=100)
                ["warnings"] if "threads in" in w]


def test_written_report_holds_every_section(preds, tmp_path):
    base = fixture(0)
    for p in base:  # the baseline misses every self-promotion
        p.promo_pred = np.zeros_like(p.promo_pred)
    comparison = Comparison("prod", "prod-version", "test", preds, base)
    write_report(tmp_path, META, preds, "test", resamples=100, comparison=comparison)
    report = (tmp_path / "report.md").read_text()
    figures = json.loads((tmp_path / "report.json").read_text())
    for section in ("## Warnings", "## Compared with the model in production", "## Metrics",
                    "## Calibration", "## The promotion threshold", "## Most confident errors",
                    "![precision–recall](pr_curve.png)", "![threshold curves](threshold_curve.png)",
                    f"| **{THRESHOLD}** |", "comment 0 of thread"):
        assert section in report, section
    assert "\\| with a pipe" in report  # a text cannot break its table row
    diff = figures["comparison"]["metrics"]["en"]["metrics"]["promotion_recall"]["difference"]
    assert diff["value"] > 0 and diff["low"] > 0
    row = next(line for line in report.splitlines() if line.startswith("| promotion_recall |"))
    assert row.endswith("excludes 0 |")
    no_text = tmp_path / "blind"
    no_text.mkdir()
    write_report(no_text, META, preds, "test", resamples=100, with_text=False)
    blind = (no_text / "report.md").read_text()
    assert "comment 0 of thread" not in blind and "ids only" in blind
