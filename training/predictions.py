"""Gold labels beside a model's predictions, one record per thread.

Metrics, bootstrap intervals and the report all read ``ThreadPrediction`` records, so
the figures of a served model (``from_analyses``) and of cross-validation on the
training split (built in ``training.train``) are computed by the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from service.vocab import ACTS, FLAGS, LANGUAGES

# Per-thread counts: the 3x3 act confusion matrix (gold row, predicted column), then
# promotion tp, fp, fn, tn, then tp, fp, fn of each flag, then the health level (right,
# rated); flags and level count only on threads with human thread labels.
N_COUNTS = len(ACTS) ** 2 + 4 + 3 * len(FLAGS) + 2


def level_of_rating(rating: int) -> str:
    """The health level a human rating stands for: 4–5 healthy, 3 at risk, 1–2 unhealthy
    (the bands the level thresholds are fitted to, docs/health.md)."""
    return "healthy" if rating >= 4 else "at_risk" if rating == 3 else "unhealthy"


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
    comment_ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    register: str | None = None
    flags_gold: tuple[str, ...] = ()  # meaningful when ``rating`` is not None
    flags_pred: tuple[str, ...] = ()
    level_pred: str | None = None

    @property
    def act_pred(self) -> np.ndarray:
        return self.act_proba.argmax(axis=1)

    def counts(self) -> np.ndarray:
        """The thread's confusion counts, laid out as ``N_COUNTS`` describes."""
        act = np.zeros((len(ACTS), len(ACTS)))
        np.add.at(act, (self.act_gold, self.act_pred), 1)
        g, p = self.promo_gold, self.promo_pred
        promo = [np.sum(g & p), np.sum(~g & p), np.sum(g & ~p), np.sum(~g & ~p)]
        thread = np.zeros(3 * len(FLAGS) + 2)
        if self.rating is not None:
            for k, flag in enumerate(FLAGS):
                gold, pred = flag in self.flags_gold, flag in self.flags_pred
                thread[3 * k:3 * k + 3] = [gold and pred, pred and not gold, gold and not pred]
            thread[-2:] = [self.level_pred == level_of_rating(self.rating), 1]
        return np.concatenate([act.ravel(), promo, thread])


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
            rating=thread["labels"].get("health"), score=analysis["health"]["score"],
            **thread_fields(thread), flags_pred=tuple(analysis["health"]["flags"]),
            level_pred=analysis["health"]["level"]))
    return out


def thread_fields(thread: dict) -> dict:
    """What a record keeps of a labelled thread besides its labels per comment."""
    return {"comment_ids": [c["id"] for c in thread["comments"]],
            "texts": [c["text"] for c in thread["comments"]],
            "register": thread.get("register"),
            "flags_gold": tuple(thread["labels"].get("flags") or ())}


def groups(preds: list[ThreadPrediction]) -> dict[str, list[ThreadPrediction]]:
    """Records per language (``fr``, ``en``), then per register (``register:NAME``, both
    languages) for data that has registers."""
    out = dict(by_language(preds))
    for register in sorted({p.register for p in preds if p.register}):
        out[f"register:{register}"] = [p for p in preds if p.register == register]
    return out


def group_name(key: str) -> str:
    """``French``, ``English``, ``register qa``."""
    return {"fr": "French", "en": "English"}.get(key, key.replace("register:", "register "))


def by_language(preds: list[ThreadPrediction]) -> dict[str, list[ThreadPrediction]]:
    """Records per labelled language, French then English (threads in other languages
    are left out of per-language figures)."""
    return {lang: mine for lang in LANGUAGES
            if (mine := [p for p in preds if p.language == lang])}


def same_threads(a: list[ThreadPrediction], b: list[ThreadPrediction]) -> bool:
    """Whether two record lists describe the same threads and comments, in order."""
    return len(a) == len(b) and all(
        x.id == y.id and np.array_equal(x.act_gold, y.act_gold) for x, y in zip(a, b, strict=True))
