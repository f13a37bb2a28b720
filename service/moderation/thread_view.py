"""A thread's page: comments in reply-tree order with their predictions and corrections,
the health (score, level, flags, reasons, components) and the score's history."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort
from sqlalchemy import select

from ..store import reading
from ..store.models import Moderator
from ..store.moderation import (
    FIELDS,
    audit_trail,
    latest_corrections,
    model_labels,
    thread_comments,
    thread_flags,
    thread_in_scope,
)
from ..store.threads import history
from . import charts
from .blueprint import bp, render, viewer

MAX_DEPTH = 6  # deeper replies are drawn at this indentation


def reply_order(comments: list) -> list[tuple[object, int]]:
    """(comment, depth) depth-first along ``reply_to``, siblings in posting order.

    A reply to an unknown comment is treated as a top-level comment.
    """
    ids = {c.external_id for c in comments}
    children: dict[str | None, list] = {}
    for c in comments:
        parent = c.reply_to if c.reply_to in ids and c.reply_to != c.external_id else None
        children.setdefault(parent, []).append(c)
    out: list[tuple[object, int]] = []
    stack = [(c, 0) for c in reversed(children.get(None, []))]
    seen: set[str] = set()
    while stack:
        comment, depth = stack.pop()
        if comment.external_id in seen:
            continue
        seen.add(comment.external_id)
        out.append((comment, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(comment.external_id, [])))
    out.extend((c, 0) for c in comments if c.external_id not in seen)  # cycles, if any
    return out


def safe_href(url: str | None) -> str | None:
    """A link target only for http(s) URLs; anything else is shown as text."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def _comment_view(comment, depth: int, authors: dict, corrected: dict, names: dict) -> dict:
    prediction = comment.prediction or {}
    model = model_labels(comment)
    shown, fixes = dict(model), {}
    for field, row in corrected.get(comment.external_id, {}).items():
        shown[field] = row.new_value
        who = "client" if row.moderator_id is None else names.get(row.moderator_id, "?")
        fixes[field] = {"model": model[field], "who": who}  # client: Perspective suggestscore
    act_scores = prediction.get("act", {}).get("scores", {})
    return {"row_id": comment.id, "id": comment.external_id, "author": comment.author,
            "text": comment.text, "depth": min(depth, MAX_DEPTH),
            "reply_to": authors.get(comment.reply_to), "created_at": comment.created_at,
            "language": model["language"], "act": shown["act"],
            "act_p": round(100 * act_scores.get(model["act"], 0)),
            "promotion": shown["promotion"],
            "promotion_p": round(100 * prediction.get("promotion", {}).get("score", 0)),
            "cues": prediction.get("cues", []), "warnings": prediction.get("warnings", []),
            "fixes": fixes}


@bp.get("/threads/<row_id:thread_id>")
def thread(thread_id: int):
    """One thread of the moderator's scope (404 outside it, as for a missing thread)."""
    who = viewer()
    with reading() as db:
        row = thread_in_scope(db, thread_id, who.platform_ids)
        if row is None:
            abort(404)
        comments = thread_comments(db, row)
        records = history(db, row)
        flags = thread_flags(db, row)
        corrected = latest_corrections(db, row, comments)
        trail = audit_trail(db, row)
        ids = {c.moderator_id for fields in corrected.values() for c in fields.values()}
        names = dict(db.execute(select(Moderator.id, Moderator.username)
                                .where(Moderator.id.in_(ids))).all())
    authors = {c.external_id: c.author for c in comments}
    latest = records[-1]
    views = [_comment_view(c, d, authors, corrected, names) for c, d in reply_order(comments)]
    return render("thread.html", thread=row, platform=who.platforms[row.platform_id],
                  href=safe_href(row.url), health=latest.health, model_version=latest.model_version,
                  analysed_at=latest.analysed_at, comments=views, flags=flags, trail=trail,
                  bars=charts.component_bars(latest.health.get("components", {})),
                  line=charts.score_line(records), history=records, fields=FIELDS)
