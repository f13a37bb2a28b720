"""A thread's page: the health (score, level, flags, reasons, components), the actions,
the comments a page at a time in reply-tree order (or only those of a flag) with their
predictions and corrections, and the score's history.

A long thread is read as an outline first (ids, replies, authors, labels: no text), which
orders, filters and pages it; only the comments of the page are read in full."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import abort, current_app, request, url_for
from flask_babel import gettext

from ..scoring.reasons import render_reasons
from ..store import reading
from ..store.evidence import unanswered_positions
from ..store.moderation import (
    FIELDS,
    audit_trail,
    comment_outline,
    comments_by_row_id,
    latest_corrections,
    model_labels,
    thread_flags,
    thread_in_scope,
)
from ..store.moderators import usernames
from ..store.threads import history
from . import charts
from .blueprint import bp, render, viewer
from .evidence import SHOWS, dominant_author, evidence, marks, reason_links
from .language import current_language
from .thread_tools import is_new, thread_tools

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


def select_comments(outline: list, found: dict[str, list], show: str
                    ) -> tuple[list[tuple[object, int]], dict[str, int]]:
    """The comments ``show`` lists, with their depth, and how many each choice lists:
    all in reply order, or the evidence of a flag (``evidence.py``) in posting order."""
    counts = {"all": len(outline), **{name: len(lines) for name, lines in found.items()}}
    if show == "all":
        return reply_order(outline), counts
    return [(line, 0) for line in found[show]], counts


def _page_args(problems: list[str]) -> tuple[str, int]:
    show = request.args.get("comments", "all")
    if show not in SHOWS:
        problems.append(gettext("Unknown choice of comments: “%(value)s”; showing them all.",
                                value=show[:40]))
        show = "all"
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit() and int(raw[:12]) > 0):
        problems.append(gettext("Page ignored: “%(value)s” (expected a page number).",
                                value=raw[:20]))
        return show, 1
    return show, int(raw[:12])


@bp.get("/threads/<row_id:thread_id>")
def thread(thread_id: int):
    """One thread of the moderator's scope (404 outside it, as for a missing thread); its
    comments a page at a time (``page``), all or those of a flag (``comments``)."""
    who = viewer()
    problems: list[str] = []
    show, page = _page_args(problems)
    size = current_app.config["MODERATION_COMMENTS_PAGE_SIZE"]
    with reading() as db:
        row = thread_in_scope(db, thread_id, who.platform_ids)
        if row is None:
            abort(404)
        outline = comment_outline(db, row)
        corrected = latest_corrections(db, row)
        flags = thread_flags(db, row)
        active = [f.name for f in flags]
        found = evidence(outline, corrected, unanswered_positions(db, row.id), active)
        selected, counts = select_comments(outline, found, show)
        pages = max(1, math.ceil(len(selected) / size))
        page = min(page, pages)
        window = selected[(page - 1) * size:page * size]
        full = comments_by_row_id(db, row, [line.row_id for line, _ in window])
        records = history(db, row)
        trail = audit_trail(db, row)
        tools = thread_tools(db, row, who)
        ids = {c.moderator_id for fields in corrected.values() for c in fields.values()}
        names = usernames(db, ids)
    authors = {line.external_id: line.author for line in outline}
    latest = records[-1]
    views = [_comment_view(full[line.row_id], depth, authors, corrected, names)
             for line, depth in window]
    pointed = marks(found, active)
    for view, (line, _) in zip(views, window, strict=True):
        view["marks"] = pointed.get(view["id"], [])
        view["new"] = is_new(full[line.row_id].stored_at, tools["decided"])

    def page_url(number: int | None = None, choice: str | None = None) -> str:
        choice = choice or show
        args = {"comments": choice} if choice != "all" else {}
        return url_for(".thread", thread_id=thread_id, **args,
                       **({"page": number} if number and number > 1 else {}))

    listing = {"show": show, "page": page, "pages": pages, "counts": counts,
               "first": (page - 1) * size + 1 if window else 0,
               "last": (page - 1) * size + len(window), "total": len(selected),
               "url": page_url, "choices": [c for c in SHOWS if c in ("all", "flagged")
                                            or counts[c]]}
    return render("thread.html", thread=row, platform=who.platforms[row.platform_id],
                  href=safe_href(row.url), health=latest.health, model_version=latest.model_version,
                  analysed_at=latest.analysed_at, comments=views, flags=flags, trail=trail,
                  reasons=_reasons(latest.health),
                  links=reason_links(latest.health, found, page_url),
                  dominant=dominant_author(outline), tools=tools,
                  bars=charts.component_bars(latest.health.get("components", {})),
                  line=charts.score_line(records), history=records, fields=FIELDS,
                  listing=listing, problems=problems, here=request.full_path.rstrip("?"))


def _reasons(health: dict) -> tuple[list[str], bool]:
    """The health's reasons in the reader's language, from their stored codes; analyses
    stored before the codes existed keep their sentences (True: shown as stored)."""
    codes = health.get("reason_codes")
    if codes is not None:
        return render_reasons(codes, current_language()), False
    return list(health.get("reasons", [])), True
