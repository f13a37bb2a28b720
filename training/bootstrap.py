"""Metrics per language and class with cluster-bootstrap 95% intervals, paired to a baseline.

Comments of one thread are correlated, so the resampling unit is the thread: each of the
``resamples`` draws takes a language's threads with replacement and recomputes every
metric from the summed confusion counts. A baseline is measured on the very same draws,
so the interval of the difference is paired. Intervals are the 2.5 and 97.5 percentiles.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

from service.vocab import ACTS, FLAGS

from .predictions import ThreadPrediction, groups

RESAMPLES = 1000
K = len(ACTS)
THREAD_METRICS = ("health_level_accuracy", "flag_micro_f1", *(f"flag_{f}_f1" for f in FLAGS))
METRICS = ("act_macro_f1",
           *(f"act_{a}_{m}" for a in ACTS for m in ("f1", "precision", "recall")),
           "promotion_f1", "promotion_precision", "promotion_recall", "health_spearman",
           *THREAD_METRICS)


def _div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b, 0 where b is 0 (scikit-learn's zero_division=0)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.divide(a, b, out=np.zeros(np.broadcast(a, b).shape), where=b > 0)


def metrics_of(totals: np.ndarray) -> dict[str, np.ndarray]:
    """Classification metrics from summed counts (``predictions.N_COUNTS`` on the last axis)."""
    cm = totals[..., :K * K].reshape(*totals.shape[:-1], K, K)
    hit = np.diagonal(cm, axis1=-2, axis2=-1)
    gold, pred = cm.sum(axis=-1), cm.sum(axis=-2)
    out: dict[str, np.ndarray] = {}
    for i, act in enumerate(ACTS):
        out[f"act_{act}_f1"] = _div(2 * hit[..., i], gold[..., i] + pred[..., i])
        out[f"act_{act}_precision"] = _div(hit[..., i], pred[..., i])
        out[f"act_{act}_recall"] = _div(hit[..., i], gold[..., i])
    out["act_macro_f1"] = np.mean([out[f"act_{a}_f1"] for a in ACTS], axis=0)
    tp, fp, fn = (totals[..., K * K + j] for j in range(3))
    out["promotion_f1"] = _div(2 * tp, 2 * tp + fp + fn)
    out["promotion_precision"] = _div(tp, tp + fp)
    out["promotion_recall"] = _div(tp, tp + fn)
    start = K * K + 4
    flag_counts = totals[..., start:start + 3 * len(FLAGS)].reshape(
        *totals.shape[:-1], len(FLAGS), 3)
    for k, flag in enumerate(FLAGS):
        f_tp, f_fp, f_fn = (flag_counts[..., k, j] for j in range(3))
        out[f"flag_{flag}_f1"] = _div(2 * f_tp, 2 * f_tp + f_fp + f_fn)
    f_tp, f_fp, f_fn = (flag_counts[..., j].sum(axis=-1) for j in range(3))
    out["flag_micro_f1"] = _div(2 * f_tp, 2 * f_tp + f_fp + f_fn)
    out["health_level_accuracy"] = _div(totals[..., -2], totals[..., -1])
    return out


def spearman(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman correlation along the last axis; NaN where either side is constant."""
    rx = rankdata(x, axis=-1) - (x.shape[-1] + 1) / 2
    ry = rankdata(y, axis=-1) - (y.shape[-1] + 1) / 2
    den = np.sqrt((rx ** 2).sum(axis=-1) * (ry ** 2).sum(axis=-1))
    return np.where(den > 0, (rx * ry).sum(axis=-1) / np.where(den > 0, den, 1), np.nan)


def _point_and_draws(preds: list[ThreadPrediction], draws: np.ndarray,
                     rated_draws: np.ndarray) -> dict[str, tuple]:
    """Every metric on the threads as they are and on each draw of thread indices."""
    counts = np.stack([p.counts() for p in preds])
    point, samples = metrics_of(counts.sum(axis=0)), metrics_of(counts[draws].sum(axis=1))
    out = {name: (float(point[name]), samples[name]) for name in point}
    rated = [p for p in preds if p.rating is not None]
    if not rated:  # no thread labels (flat CSV): no flag or level figure
        for name in THREAD_METRICS:
            del out[name]
    if len(rated) > 2:
        r = np.array([p.rating for p in rated], dtype=float)
        s = np.array([p.score for p in rated], dtype=float)
        out["health_spearman"] = (float(spearman(r, s)), spearman(r[rated_draws],
                                                                   s[rated_draws]))
    return out


def summary(point: float, samples: np.ndarray) -> dict:
    """Point estimate and the [2.5, 97.5] percentile interval of the draws."""
    finite = samples[~np.isnan(samples)]
    value = None if np.isnan(point) else round(point, 4)
    if not finite.size:
        return {"value": value, "low": None, "high": None}
    low, high = np.percentile(finite, [2.5, 97.5])
    return {"value": value, "low": round(float(low), 4), "high": round(float(high), 4)}


def bootstrap(model: list[ThreadPrediction], baseline: list[ThreadPrediction] | None = None,
              resamples: int = RESAMPLES, seed: int = 0) -> dict:
    """``{group: {metric: {"model": …, "baseline": …, "difference": …}}}``, groups being
    the languages, then the registers where the data has them (``predictions.groups``).

    ``baseline`` must hold the same threads in the same order (predictions of another
    model on the same data); without it only ``"model"`` is given.
    """
    rng = np.random.default_rng(seed)
    base_by_lang = groups(baseline) if baseline is not None else {}
    out: dict[str, dict] = {}
    for lang, mine in groups(model).items():
        n, n_rated = len(mine), sum(p.rating is not None for p in mine)
        draws = rng.integers(0, n, (resamples, n))
        rated_draws = rng.integers(0, max(n_rated, 1), (resamples, n_rated))
        ours = _point_and_draws(mine, draws, rated_draws)
        theirs = (_point_and_draws(base_by_lang[lang], draws, rated_draws)
                  if lang in base_by_lang else None)
        table = {}
        for name in (m for m in METRICS if m in ours):
            entry = {"model": summary(*ours[name])}
            if theirs is not None and name in theirs:
                entry["baseline"] = summary(*theirs[name])
                entry["difference"] = summary(ours[name][0] - theirs[name][0],
                                              ours[name][1] - theirs[name][1])
            table[name] = entry
        out[lang] = {"threads": n, "comments": sum(len(p.act_gold) for p in mine),
                     "metrics": table}
    return out
