"""The model's most confident mistakes, per labelled class: what to read before promoting.

For each axis and each gold class, the comments labelled with that class that the model put
elsewhere, most confident first (the probability it gave its wrong answer); ties go by
thread and comment id, so the list is stable.
"""

from __future__ import annotations

from service.vocab import ACTS, PROMOTION

from .predictions import ThreadPrediction

PER_CLASS = 20
TEXT_CHARS = 240


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_CHARS else text[:TEXT_CHARS - 1] + "…"


def confident_errors(preds: list[ThreadPrediction], per_class: int = PER_CLASS,
                     with_text: bool = True) -> dict:
    """``{"act": {gold: [error, …]}, "promotion": {gold: [error, …]}}``; an error names its
    thread, comment, language, gold and predicted labels, the probability of the predicted
    label, and (``with_text``) the comment's text."""
    found: dict[str, dict[str, list]] = {"act": {a: [] for a in ACTS},
                                         "promotion": {p: [] for p in PROMOTION}}
    for t in preds:
        for i in range(len(t.act_gold)):
            base = {"thread": t.id, "comment": t.comment_ids[i] if t.comment_ids else str(i),
                    "language": t.language}
            if with_text and t.texts:
                base["text"] = _short(t.texts[i])
            gold, pred = ACTS[int(t.act_gold[i])], ACTS[int(t.act_pred[i])]
            if gold != pred:
                found["act"][gold].append({**base, "gold": gold, "predicted": pred,
                                           "probability": round(float(t.act_proba[i].max()), 4)})
            g, p = bool(t.promo_gold[i]), bool(t.promo_pred[i])
            if g != p:
                score = float(t.promo_score[i])
                found["promotion"][PROMOTION[g]].append({
                    **base, "gold": PROMOTION[g], "predicted": PROMOTION[p],
                    "probability": round(score if p else 1 - score, 4)})
    for axis in found.values():
        for gold, errors in axis.items():
            errors.sort(key=lambda e: (-e["probability"], e["thread"], e["comment"]))
            axis[gold] = errors[:per_class]
    return found
