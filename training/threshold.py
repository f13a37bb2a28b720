"""The promotion threshold: fixed in the config, or chosen on cross-validation.

Both cross-validated rules read the calibrated out-of-fold predictions of the training
split, never test or evaluation data, and place the cut half-way to the next lower
out-of-fold score so that no training comment sits exactly on it.

- ``cv_f1`` picks the cut that maximises F1. F1 depends on how much self-promotion the
  corpus holds, and its curve is flat near the top: with the same model family the cut
  moved from 0.38 to 0.48 as batches of data came in.
- ``cv_genuine_flagged`` picks the lowest cut that flags at most ``max_genuine_flagged``
  of the genuine out-of-fold comments: the most promotion caught for a fixed cost to
  genuine commenters, whatever the share of spam in the corpus (what the service promises
  is a bound on genuine comments flagged, with recall as high as it can be).
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import precision_recall_curve

CV_F1 = "cv_f1"
CV_GENUINE_FLAGGED = "cv_genuine_flagged"


def cv_f1_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, dict]:
    """(threshold, how it was chosen) from out-of-fold labels ``y`` and scores ``p``."""
    precision, recall, cuts = precision_recall_curve(y, p)
    precision, recall = precision[:-1], recall[:-1]  # the last point has no cut
    denom = np.where(precision + recall > 0, precision + recall, 1)
    f1 = 2 * precision * recall / denom
    best = int(np.argmax(f1))
    threshold = _between(p, float(cuts[best]))
    return threshold, {
        "method": CV_F1,
        "how": "F1-maximising cut on the calibrated out-of-fold P(self_promotion) of the "
               "training split (folds grouped by thread)",
        "cv_f1": round(float(f1[best]), 4),
        "cv_precision": round(float(precision[best]), 4),
        "cv_recall": round(float(recall[best]), 4),
        "comments": len(y),
    }


def _between(p: np.ndarray, top: float) -> float:
    """Half-way from ``top`` (an out-of-fold score) to the next lower one, rounded."""
    lower = float(p[p < top].max()) if (p < top).any() else 0.0
    threshold = round((top + lower) / 2, 4)
    return threshold if lower < threshold <= top else top


def cv_genuine_flagged_threshold(y: np.ndarray, p: np.ndarray, budget: float
                                 ) -> tuple[float, dict]:
    """The lowest cut flagging at most ``budget`` of the genuine out-of-fold comments."""
    y = np.asarray(y, dtype=bool)
    genuine = np.sort(p[~y])[::-1]
    allowed = int(np.floor(budget * len(genuine)))
    # Flagged: p >= cut. The cut must sit above the (allowed + 1)-th highest genuine score;
    # the lowest such cut is the smallest out-of-fold score above it.
    above = p[p > genuine[allowed]] if allowed < len(genuine) else p
    top = float(above.min()) if len(above) else 1.0
    threshold = _between(p, top) if len(above) else 1.0
    flagged = p >= threshold
    return threshold, {
        "method": CV_GENUINE_FLAGGED,
        "how": "lowest cut on the calibrated out-of-fold P(self_promotion) of the training "
               f"split (folds grouped by thread) that flags at most {budget:.1%} of genuine "
               "comments",
        "max_genuine_flagged": budget,
        "cv_genuine_flagged": round(float(flagged[~y].mean()), 4),
        "cv_precision": round(float(y[flagged].mean()) if flagged.any() else 0.0, 4),
        "cv_recall": round(float(flagged[y].mean()), 4),
        "comments": len(y),
    }


def choose_threshold(setting, y: np.ndarray, p: np.ndarray, budget: float | None = None
                     ) -> tuple[float, dict]:
    """Apply the config's ``promotion.threshold``: ``"cv_f1"``, ``"cv_genuine_flagged"``
    (with ``budget``, the config's ``max_genuine_flagged``) or a number in (0, 1)."""
    if setting == CV_F1:
        return cv_f1_threshold(y, p)
    if setting == CV_GENUINE_FLAGGED:
        if not isinstance(budget, float) or not 0 < budget < 1:
            raise ValueError("promotion.max_genuine_flagged: expected a share between 0 and 1 "
                             f"with threshold = \"{CV_GENUINE_FLAGGED}\", got {budget!r}")
        return cv_genuine_flagged_threshold(y, p, budget)
    if isinstance(setting, int | float) and not isinstance(setting, bool) and 0 < setting < 1:
        return float(setting), {"method": "fixed", "how": "set in the training config"}
    raise ValueError(f"promotion.threshold: {setting!r} is neither \"{CV_F1}\", "
                     f"\"{CV_GENUINE_FLAGGED}\" nor a number between 0 and 1")
