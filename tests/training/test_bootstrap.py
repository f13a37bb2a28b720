"""Metrics from confusion counts agree with scikit-learn; the bootstrap is paired and seeded."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import spearmanr
from sklearn.metrics import f1_score, precision_score, recall_score

from service.vocab import ACTS, LANGUAGES
from training.bootstrap import bootstrap, metrics_of, spearman
from training.predictions import ThreadPrediction


def fake_threads(seed: int, n: int = 20, noise: float = 0.3) -> list[ThreadPrediction]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        size = int(rng.integers(2, 12))
        gold = rng.integers(0, 3, size)
        proba = rng.dirichlet(np.ones(3), size) * noise
        proba[np.arange(size), gold] += 1 - noise
        promo = rng.random(size) < 0.2
        score = np.clip(promo * 0.6 + rng.random(size) * 0.5, 0, 1)
        out.append(ThreadPrediction(f"t{i}", "fr" if i % 2 else "en", gold, proba, promo, score,
                                    score >= 0.5, int(rng.integers(1, 6)),
                                    int(rng.integers(0, 101))))
    return out


def test_metrics_match_scikit_learn():
    threads = fake_threads(0)
    totals = np.sum([t.counts() for t in threads], axis=0)
    got = metrics_of(totals)
    gold = np.concatenate([t.act_gold for t in threads])
    pred = np.concatenate([t.act_pred for t in threads])
    assert got["act_macro_f1"] == pytest.approx(f1_score(gold, pred, average="macro"))
    for i, act in enumerate(ACTS):
        assert got[f"act_{act}_precision"] == pytest.approx(
            precision_score(gold, pred, labels=[i], average="macro"))
        assert got[f"act_{act}_recall"] == pytest.approx(
            recall_score(gold, pred, labels=[i], average="macro"))
    y = np.concatenate([t.promo_gold for t in threads])
    p = np.concatenate([t.promo_pred for t in threads])
    assert got["promotion_f1"] == pytest.approx(f1_score(y, p))
    assert got["promotion_precision"] == pytest.approx(precision_score(y, p))


def test_spearman_matches_scipy_and_handles_constants():
    x, y = np.array([1, 2, 2, 5, 3.0]), np.array([10, 30, 20, 50, 50.0])
    assert spearman(x, y) == pytest.approx(spearmanr(x, y).statistic)
    assert np.isnan(spearman(np.ones(4), np.arange(4.0)))


def test_intervals_per_language_and_class():
    result = bootstrap(fake_threads(1), resamples=200, seed=0)
    assert set(result) == set(LANGUAGES)
    for block in result.values():
        for name, entry in block["metrics"].items():
            m = entry["model"]
            assert m["low"] <= m["high"], name
            assert set(entry) == {"model"}
    assert "act_listening_recall" in result["fr"]["metrics"]


def test_seeded_and_paired():
    threads, other = fake_threads(2), fake_threads(2, noise=0.6)
    first = bootstrap(threads, other, resamples=200, seed=5)
    assert first == bootstrap(threads, other, resamples=200, seed=5)
    against_itself = bootstrap(threads, threads, resamples=200, seed=5)
    for block in against_itself.values():
        for entry in block["metrics"].values():
            assert entry["difference"] == {"value": 0.0, "low": 0.0, "high": 0.0}
    diff = first["fr"]["metrics"]["act_macro_f1"]
    assert diff["difference"]["value"] == pytest.approx(
        diff["model"]["value"] - diff["baseline"]["value"], abs=2e-4)


def test_resampling_unit_is_the_thread():
    # One thread holds every error: resampling threads (not comments) makes the interval wide.
    good = [ThreadPrediction(f"g{i}", "en", np.zeros(5, int), np.tile([1.0, 0, 0], (5, 1)),
                             np.zeros(5, bool), np.zeros(5), np.zeros(5, bool), None, None)
            for i in range(9)]
    bad = ThreadPrediction("b", "en", np.zeros(45, int), np.tile([0, 1.0, 0], (45, 1)),
                           np.zeros(45, bool), np.zeros(45), np.zeros(45, bool), None, None)
    entry = bootstrap([*good, bad], resamples=300)["en"]["metrics"]["act_broadcast_recall"]
    assert entry["model"]["value"] == 0.5
    # per-comment resampling would give about [0.4, 0.6]
    assert entry["model"]["low"] < 0.35 and entry["model"]["high"] == 1.0
