"""How far the probabilities can be taken at their word: ECE, Brier score, counts per bin.

Bins are scikit-learn's ``calibration_curve(strategy="uniform")`` bins: ten of equal width,
the first ``[0, 0.1]``, then ``(0.1, 0.2]`` … ``(0.9, 1]``. The expected calibration error
(ECE) is the comment-weighted mean gap between a bin's mean predicted probability and the
share observed in it. For the act, the probability is the one of the predicted act
(observed: the share predicted right) and the Brier score is scikit-learn's multiclass one:
the squared error summed over the three acts (0 to 2), averaged over comments.
"""

from __future__ import annotations

import numpy as np

from .predictions import ThreadPrediction, by_language

BINS = 10


def bin_index(score: np.ndarray, bins: int = BINS) -> np.ndarray:
    """Each probability's bin, as ``calibration_curve`` assigns them."""
    return np.searchsorted(np.linspace(0.0, 1.0, bins + 1)[1:-1], score)


def calibration_bins(score: np.ndarray, hit: np.ndarray, bins: int = BINS) -> list[dict]:
    """Every bin: its edges, comment count, mean predicted probability and observed share
    (the last two None for an empty bin)."""
    which = bin_index(score, bins)
    out = []
    for b in range(bins):
        mask = which == b
        n = int(mask.sum())
        out.append({"low": round(b / bins, 4), "high": round((b + 1) / bins, 4), "count": n,
                    "mean_predicted": round(float(score[mask].mean()), 4) if n else None,
                    "observed": round(float(hit[mask].mean()), 4) if n else None})
    return out


def expected_calibration_error(score: np.ndarray, hit: np.ndarray, bins: int = BINS) -> float:
    """Sum over bins of (comments in the bin / all comments) x |mean predicted - observed|."""
    which = bin_index(score, bins)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.sum() * abs(score[mask].mean() - hit[mask].mean())
    return float(total / len(score))


def _axis(score: np.ndarray, hit: np.ndarray, brier: float) -> dict:
    return {"comments": len(score), "ece": round(expected_calibration_error(score, hit), 4),
            "brier": round(brier, 4), "bins": calibration_bins(score, hit)}


def calibration(preds: list[ThreadPrediction]) -> dict:
    """``{language: {"promotion": {...}, "act": {...}}}`` with ECE, Brier and bins."""
    out = {}
    for lang, mine in by_language(preds).items():
        p = np.concatenate([t.promo_score for t in mine]).astype(float)
        y = np.concatenate([t.promo_gold for t in mine]).astype(float)
        proba = np.concatenate([t.act_proba for t in mine]).astype(float)
        gold = np.concatenate([t.act_gold for t in mine])
        onehot = np.eye(proba.shape[1])[gold]
        right = (proba.argmax(axis=1) == gold).astype(float)
        out[lang] = {
            "promotion": _axis(p, y, float(np.mean((p - y) ** 2))),
            "act": _axis(proba.max(axis=1), right,
                         float(np.mean(((proba - onehot) ** 2).sum(axis=1)))),
        }
    return out
