"""The promotion threshold: fixed in the config, or chosen on cross-validation.

``cv_f1`` picks the cut on P(self_promotion) that maximises F1 on the calibrated
out-of-fold predictions of the training split, never on test or evaluation data, and
places it half-way to the next lower out-of-fold score so that no training comment sits
exactly on it.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import precision_recall_curve

CV_F1 = "cv_f1"


def cv_f1_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, dict]:
    """(threshold, how it was chosen) from out-of-fold labels ``y`` and scores ``p``."""
    precision, recall, cuts = precision_recall_curve(y, p)
    precision, recall = precision[:-1], recall[:-1]  # the last point has no cut
    denom = np.where(precision + recall > 0, precision + recall, 1)
    f1 = 2 * precision * recall / denom
    best = int(np.argmax(f1))
    top = float(cuts[best])
    lower = float(p[p < top].max()) if (p < top).any() else 0.0
    threshold = round((top + lower) / 2, 4)
    if not lower < threshold <= top:
        threshold = top
    return threshold, {
        "method": CV_F1,
        "how": "F1-maximising cut on the calibrated out-of-fold P(self_promotion) of the "
               "training split (folds grouped by thread)",
        "cv_f1": round(float(f1[best]), 4),
        "cv_precision": round(float(precision[best]), 4),
        "cv_recall": round(float(recall[best]), 4),
        "comments": len(y),
    }


def choose_threshold(setting, y: np.ndarray, p: np.ndarray) -> tuple[float, dict]:
    """Apply the config's ``promotion.threshold``: ``"cv_f1"`` or a number in (0, 1)."""
    if setting == CV_F1:
        return cv_f1_threshold(y, p)
    if isinstance(setting, int | float) and not isinstance(setting, bool) and 0 < setting < 1:
        return float(setting), {"method": "fixed", "how": "set in the training config"}
    raise ValueError(f"promotion.threshold: {setting!r} is neither \"cv_f1\" nor a number "
                     "between 0 and 1")
