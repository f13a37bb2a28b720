"""The promotion threshold in context: precision–recall and threshold curves per language.

Figures at a cut label a comment self-promotion when P(self_promotion) >= the cut, as the
engine does; the chosen threshold is one of the cuts listed, so the report shows what
moving it would trade.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve

from .predictions import ThreadPrediction, by_language

CUTS = tuple(round(0.1 * k, 1) for k in range(1, 10))
CURVE_POINTS = 200  # the curve kept in the JSON, thinned evenly along the cuts


def at_cut(y: np.ndarray, p: np.ndarray, cut: float) -> dict:
    """Precision, recall, F1 and share labelled self-promotion at one cut."""
    pred = p >= cut
    tp, fp, fn = int((y & pred).sum()), int((~y & pred).sum()), int((y & ~pred).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return {"threshold": cut, "precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(f1, 4), "labelled_self_promotion": round(float(pred.mean()), 4)}


def scores_of(mine: list[ThreadPrediction]) -> tuple[np.ndarray, np.ndarray]:
    """Gold self-promotion and P(self_promotion) of every comment of the records."""
    return (np.concatenate([t.promo_gold for t in mine]).astype(bool),
            np.concatenate([t.promo_score for t in mine]).astype(float))


def threshold_curves(preds: list[ThreadPrediction], threshold: float) -> dict:
    """Per language: average precision, the figures at the chosen threshold and at each of
    ``CUTS``, and the precision–recall curve's points (for the plot and the JSON)."""
    out = {}
    for lang, mine in by_language(preds).items():
        y, p = scores_of(mine)
        if not 0 < y.sum() < len(y):  # one class only: no curve
            continue
        precision, recall, cuts = precision_recall_curve(y, p)
        keep = np.unique(np.linspace(0, len(cuts) - 1, min(CURVE_POINTS, len(cuts)))
                         .round().astype(int))
        out[lang] = {
            "average_precision": round(float(average_precision_score(y, p)), 4),
            "chosen": at_cut(y, p, threshold),
            "cuts": [at_cut(y, p, c) for c in sorted({*CUTS, round(threshold, 4)})],
            "curve": {"precision": [round(float(v), 4) for v in precision[keep]],
                      "recall": [round(float(v), 4) for v in recall[keep]],
                      "thresholds": [round(float(v), 4) for v in cuts[keep]]},
        }
    return out
