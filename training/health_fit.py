"""Fit the thread-health weights, penalty and level thresholds to the human ratings.

Fitted on training threads only, with out-of-fold comment predictions, so the weights
see the classifier's real errors rather than gold labels.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from service.nlp.features import names_author
from service.scoring.health import (
    DEFAULT_PARAMS,
    POSITIVE,
    CommentView,
    Health,
    HealthParams,
    components_of,
    thread_health,
)
from service.vocab import LANGUAGES


def views_for(thread: dict, act_proba: np.ndarray, p_promo: np.ndarray, threshold: float,
              questions: list[bool], disagreements: list[bool],
              acts: tuple[str, ...]) -> list[CommentView]:
    """CommentViews of one corpus thread from its comments' predicted probabilities."""
    comments = thread["comments"]
    index = {c["id"]: i for i, c in enumerate(comments)}
    authors = {c["author"] for c in comments}
    out = []
    for i, c in enumerate(comments):
        out.append(CommentView(
            author=c["author"],
            reply_to=index.get(c.get("reply_to")) if c.get("reply_to") else None,
            act=acts[int(np.argmax(act_proba[i]))],
            p_broadcast=float(act_proba[i][acts.index("broadcast")]),
            promotion="self_promotion" if p_promo[i] >= threshold else "dialogue",
            question=questions[i],
            disagreement=disagreements[i],
            named_authors=frozenset(a for a in authors
                                    if a != c["author"] and names_author(c["text"], a)),
        ))
    return out


def fit_health(component_rows: list[dict], ratings: list[int]) -> HealthParams:
    """Least-squares fit of score/100 to (rating - 1) / 4, then level thresholds."""
    comps = np.array([[row[k] for k in POSITIVE] for row in component_rows])
    promo = np.array([row["self_promotion"] for row in component_rows])
    target = (np.array(ratings, dtype=float) - 1) / 4

    def predict(params):
        w = params[:-1]
        base = comps @ w / max(w.sum(), 1e-9)
        return base * (1 - params[-1] * promo)

    def loss(params):
        return float(np.mean((predict(params) - target) ** 2))

    start = np.array([0.3, 0.15, 0.15, 0.3, 0.1, 0.9])
    bounds = [(0.01, 1.0)] * len(POSITIVE) + [(0.0, 1.0)]
    result = minimize(loss, start, bounds=bounds, method="L-BFGS-B")
    w = result.x[:-1] / result.x[:-1].sum()
    scores = np.round(100 * predict(result.x))
    healthy_at = _best_cut(scores, np.array(ratings) >= 4)
    at_risk_at = min(_best_cut(scores, np.array(ratings) >= 3), healthy_at - 1)
    return HealthParams(weights={k: round(float(v), 4) for k, v in zip(POSITIVE, w, strict=True)},
                        penalty=round(float(result.x[-1]), 4), healthy_at=int(healthy_at),
                        at_risk_at=int(at_risk_at))


def _best_cut(scores: np.ndarray, positive: np.ndarray) -> int:
    """The score cut that best separates ``positive`` threads (balanced accuracy)."""
    best, best_acc = 50, -1.0
    for cut in range(5, 96):
        predicted = scores >= cut
        tpr = (predicted & positive).sum() / max(positive.sum(), 1)
        tnr = (~predicted & ~positive).sum() / max((~positive).sum(), 1)
        if (tpr + tnr) / 2 > best_acc:
            best, best_acc = cut, (tpr + tnr) / 2
    return best


def thread_components(views: list[CommentView]) -> dict:
    """The components of one thread (health.components_of without the questions list)."""
    return components_of(views)[0]


def fit_from_out_of_fold(threads: list[dict], rows: list, act_oof: np.ndarray,
                         promo_oof: np.ndarray, threshold: float, acts: tuple[str, ...]
                         ) -> tuple[HealthParams, list[Health]]:
    """Health parameters fitted on the rated threads, and every thread's health (score,
    level, flags) under them.

    ``rows`` are the prepared comments of ``threads`` in order; without any rated thread
    (flat CSV data) the documented defaults are kept.
    """
    views, start = [], 0
    for thread in threads:
        n = len(thread["comments"])
        part = rows[start:start + n]
        views.append(views_for(thread, act_oof[start:start + n], promo_oof[start:start + n],
                               threshold, [bool(r.numeric.get("question")) for r in part],
                               [bool(r.numeric.get("disagreement")) for r in part], acts))
        start += n
    rated = [(v, t["labels"]["health"]) for v, t in zip(views, threads, strict=True)
             if t["labels"].get("health") is not None]
    params = (fit_health([thread_components(v) for v, _ in rated], [r for _, r in rated])
              if rated else DEFAULT_PARAMS)
    healths = [thread_health(v, params, t["language"] if t["language"] in LANGUAGES else "en")
               for v, t in zip(views, threads, strict=True)]
    return params, healths
