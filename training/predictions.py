"""Gold labels beside a model's predictions, one record per thread.

Metrics, bootstrap intervals and the report all read ``ThreadPrediction`` records, so
the figures of a served model (``from_analyses``) and of cross-validation on the
training split (built in ``training.train``) are computed by the same code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from service.scoring.classifier import ACTS

# Per-thread counts: the 3x3 act confusion matrix (gold row, predicted column), then
# promotion tp, fp, fn, tn.
N_COUNTS = len(ACTS) ** 2 + 4


@dataclass
class ThreadPrediction:
    """One thread's gold labels and predictions."""

    id: str
    language: str  # the thread's labelled language
    act_gold: np.ndarray  # indices into ACTS
    act_proba: np.ndarray  # (comments, 3)
    promo_gold: np.ndarray  # bool: labelled self_promotion
    promo_score: np.ndarray  # P(self_promotion)
    promo_pred: np.ndarray  # bool: predicted self_promotion
    rating: int | None  # human health rating 1..5, when the data has one
    score: int | None  # predicted health score 0..100

    @property
    def act_pred(self) -> np.ndarray:
        return self.act_proba.argmax(axis=1)

    def counts(self) -> np.ndarray:
        """The thread's confusion counts, laid out as ``N_COUNTS`` describes."""
        act = np.zeros((len(ACTS), len(ACTS)))
        np.add.at(act, (self.act_gold, self.act_pred), 1)
        g, p = self.promo_gold, self.promo_pred
        promo = [np.sum(g & p), np.sum(~g & p), np.sum(g & ~p), np.sum(~g & ~p)]
        return np.concatenate([act.ravel(), promo])


def from_analyses(threads: list[dict], analyses: list[dict]) -> list[ThreadPrediction]:
    """Records from corpus threads and the engine's analyses of them, in order."""
    out = []
    for thread, analysis in zip(threads, analyses, strict=True):
        gold, pred = thread["comments"], analysis["comments"]
        out.append(ThreadPrediction(
            id=thread["id"], language=thread["language"],
            act_gold=np.array([ACTS.index(c["labels"]["act"]) for c in gold], dtype=int),
            act_proba=np.array([[c["act"]["scores"][a] for a in ACTS] for c in pred]),
            promo_gold=np.array([c["labels"]["promotion"] == "self_promotion" for c in gold]),
            promo_score=np.array([c["promotion"]["score"] for c in pred]),
            promo_pred=np.array([c["promotion"]["label"] == "self_promotion" for c in pred]),
            rating=thread["labels"].get("health"), score=analysis["health"]["score"]))
    return out


def by_language(preds: list[ThreadPrediction]) -> dict[str, list[ThreadPrediction]]:
    """Records per labelled language, French then English (threads in other languages
    are left out of per-language figures)."""
    return {lang: mine for lang in ("fr", "en")
            if (mine := [p for p in preds if p.language == lang])}


def same_threads(a: list[ThreadPrediction], b: list[ThreadPrediction]) -> bool:
    """Whether two record lists describe the same threads and comments, in order."""
    return len(a) == len(b) and all(
        x.id == y.id and np.array_equal(x.act_gold, y.act_gold) for x, y in zip(a, b, strict=True))
