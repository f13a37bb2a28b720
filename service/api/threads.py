"""Stored threads of the calling platform: replace, append, read, list by urgency."""

from __future__ import annotations

from dataclasses import replace

from flask import current_app, g, jsonify, request

from .. import metrics
from ..errors import problem
from ..schemas.limits import MAX_ID, MAX_PAGE
from ..services import threads as service
from ..validation import ValidationError, parse_append, parse_thread, storable
from . import bp, engine_or_503, json_body, moderation_rules, reasons_language


def _check_id(thread_id: str) -> str:
    if not thread_id.strip() or len(thread_id) > MAX_ID or not storable(thread_id):
        raise ValidationError([{"field": "id", "message": f"thread id must be 1..{MAX_ID} "
                                                         "characters of text"}], 422)
    return thread_id


def _include() -> str:
    """The ``comments`` query parameter of an append: whose analyses to answer with."""
    value = request.args.get("comments", "all")
    if value not in service.INCLUDE:
        raise ValidationError([{"field": "comments", "message": "must be 'all' (every "
                                "comment of the thread) or 'sent' (those of this request)"}],
                              400)
    return value


def _not_found(thread_id: str):
    return problem(404, "Not Found", f"No thread {thread_id!r} is stored for this platform.",
                   kind="thread-not-found")


def _limits() -> dict:
    return {"limit": current_app.config["MAX_COMMENTS_PER_REQUEST"]}


@bp.put("/threads/<thread_id>")
def put_thread(thread_id: str):
    """Store or replace a whole thread atomically, analyse it, return the analysis."""
    _check_id(thread_id)
    lang = reasons_language()
    thread = parse_thread(json_body(), **_limits())
    if thread.id is not None and thread.id != thread_id:
        raise ValidationError([{"field": "id", "message": "must match the id in the URL "
                                                         f"({thread_id!r}) or be left out"}])
    engine = engine_or_503()
    outcome = service.replace(engine, g.caller.platform_id, replace(thread, id=thread_id),
                              reasons_language=lang, actor=f"platform:{g.caller.platform}",
                              limit=current_app.config["MAX_COMMENTS_PER_THREAD"],
                              rules=moderation_rules())
    metrics.comments_analysed(outcome.added)
    return jsonify(outcome.body), 201 if outcome.created else 200


@bp.post("/threads/<thread_id>/comments")
def post_comments(thread_id: str):
    """Append comments (idempotent on comment id) and move the thread's analysis on."""
    _check_id(thread_id)
    lang, include = reasons_language(), _include()
    comments, language = parse_append(json_body(), **_limits())
    engine = engine_or_503()
    outcome = service.append(engine, g.caller.platform_id, thread_id, comments,
                             language=language, reasons_language=lang, include=include,
                             actor=f"platform:{g.caller.platform}",
                             limit=current_app.config["MAX_COMMENTS_PER_THREAD"],
                             rules=moderation_rules())
    metrics.comments_analysed(outcome.added)
    response = jsonify(outcome.body)
    response.headers["X-Comments-Added"] = str(outcome.added)
    return response


@bp.get("/threads/<thread_id>")
def get_thread(thread_id: str):
    """The stored thread's latest analysis."""
    _check_id(thread_id)
    body = service.read(g.caller.platform_id, thread_id, reasons_language())
    return _not_found(thread_id) if body is None else jsonify(body)


def _bool_arg(name: str) -> bool | None:
    value = request.args.get(name)
    if value is None:
        return None
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise ValidationError([{"field": name, "message": "must be 'true' or 'false'"}], 400)


def _limit() -> int:
    value = request.args.get("limit", "20")
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_PAGE:
        raise ValidationError([{"field": "limit",
                                "message": f"must be an integer from 1 to {MAX_PAGE}"}], 400)
    return int(value)


@bp.get("/threads")
def list_platform_threads():
    """The platform's threads, most urgent first; ``flagged=true`` for flagged ones only."""
    flagged, limit = _bool_arg("flagged"), _limit()
    items, cursor = service.listing(g.caller.platform_id, flagged=flagged, limit=limit,
                                    cursor=request.args.get("cursor"))
    current_app.logger.debug("listed %d threads", len(items))
    return jsonify({"threads": items, "next_cursor": cursor})
