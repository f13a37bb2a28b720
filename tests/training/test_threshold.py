"""The promotion threshold: F1-maximising on out-of-fold scores, or fixed by the config."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score

from training.threshold import choose_threshold, cv_f1_threshold


def test_cv_f1_threshold_maximises_f1():
    rng = np.random.default_rng(3)
    y = rng.random(400) < 0.2
    p = np.clip(0.35 * y + rng.random(400) * 0.65, 0, 1)
    threshold, how = cv_f1_threshold(y, p)
    best = max(f1_score(y, p >= cut) for cut in np.unique(p))
    assert f1_score(y, p >= threshold) == pytest.approx(best)
    assert how["method"] == "cv_f1" and how["cv_f1"] == pytest.approx(best, abs=1e-4)
    assert not np.isin(threshold, p)  # half-way between two out-of-fold scores


def test_separable_scores_cut_between_the_classes():
    y = np.array([0, 0, 0, 1, 1])
    p = np.array([0.1, 0.2, 0.3, 0.7, 0.9])
    threshold, how = cv_f1_threshold(y, p)
    assert threshold == 0.5 and how["cv_f1"] == 1.0


def test_fixed_threshold():
    assert choose_threshold(0.42, np.array([0, 1]), np.array([0.1, 0.9])) == (
        0.42, {"method": "fixed", "how": "set in the training config"})


@pytest.mark.parametrize("setting", ["f1", 0, 1, 1.5, True, None])
def test_bad_settings_are_refused(setting):
    with pytest.raises(ValueError, match=r"promotion\.threshold"):
        choose_threshold(setting, np.array([0, 1]), np.array([0.1, 0.9]))


def test_genuine_flagged_threshold_is_the_lowest_cut_within_the_budget():
    rng = np.random.default_rng(5)
    y = rng.random(2000) < 0.2
    p = np.clip(0.4 * y + rng.random(2000) * 0.6, 0, 1)
    threshold, how = choose_threshold("cv_genuine_flagged", y, p, 0.02)
    genuine_flagged = np.mean(p[~y] >= threshold)
    assert genuine_flagged <= 0.02 and how["cv_genuine_flagged"] == round(genuine_flagged, 4)
    # any lower out-of-fold score as the cut would flag more genuine comments than allowed
    lower = p[p < threshold].max()
    assert np.mean(p[~y] >= lower) > 0.02
    assert how["cv_recall"] == round(float(np.mean(p[y] >= threshold)), 4)
    assert how["method"] == "cv_genuine_flagged" and how["max_genuine_flagged"] == 0.02


def test_a_larger_budget_never_raises_the_cut():
    rng = np.random.default_rng(6)
    y = rng.random(500) < 0.3
    p = np.clip(0.3 * y + rng.random(500) * 0.7, 0, 1)
    cuts = [choose_threshold("cv_genuine_flagged", y, p, b)[0] for b in (0.01, 0.02, 0.05, 0.2)]
    assert cuts == sorted(cuts, reverse=True) and cuts[0] > cuts[-1]


@pytest.mark.parametrize("budget", [None, 0, 1, 0.0, 1.5, "0.02", True])
def test_the_budget_must_be_a_share(budget):
    with pytest.raises(ValueError, match=r"promotion\.max_genuine_flagged"):
        choose_threshold("cv_genuine_flagged", np.array([0, 1]), np.array([0.1, 0.9]), budget)
