"""Stored threads of the calling platform: replace, append, read, list by urgency."""

from __future__ import annotations

from flask import current_app, g, jsonify, request

from .. import metrics
from ..errors import problem
from ..store import reading, transaction
from ..store.listing import active_flags, list_threads
from ..store.models import iso
from ..store.threads import append_comments, find_thread, latest, replace_thread
from ..validation import MAX_ID, ValidationError, parse_append, parse_thread, storable
from . import bp, engine_or_503, json_body, reasons_language

MAX_PAGE = 100


def _check_id(thread_id: str) -> str:
    if not thread_id.strip() or len(thread_id) > MAX_ID or not storable(thread_id):
        raise ValidationError([{"field": "id", "message": f"thread id must be 1..{MAX_ID} "
                                                         "characters of text"}], 422)
    return thread_id


def _created_at(raw) -> list[str | None]:
    return [c.get("created_at") if isinstance(c, dict) else None for c in raw]


def _analyzer(engine, lang):
    def analyze(thread, known):
        return engine.analyze_thread(thread, lang, known=known)
    return analyze


def _not_found(thread_id: str):
    return problem(404, "Not Found", f"No thread {thread_id!r} is stored for this platform.",
                   kind="thread-not-found")


@bp.put("/threads/<thread_id>")
def put_thread(thread_id: str):
    """Store or replace a whole thread atomically, analyse it, return the analysis."""
    _check_id(thread_id)
    lang = reasons_language()
    body = json_body()
    thread = parse_thread(body)
    if thread.id is not None and thread.id != thread_id:
        raise ValidationError([{"field": "id", "message": "must match the id in the URL "
                                                         f"({thread_id!r}) or be left out"}])
    engine = engine_or_503()
    thread = thread.__class__(id=thread_id, language=thread.language, comments=thread.comments,
                              title=thread.title, url=thread.url)
    with transaction() as session:
        existed = find_thread(session, g.caller.platform_id, thread_id) is not None
        result = replace_thread(session, g.caller.platform_id, thread,
                                _created_at(body["comments"]), _analyzer(engine, lang),
                                actor=f"platform:{g.caller.platform}")
    metrics.comments_analysed(len(thread.comments))
    return jsonify(result), 200 if existed else 201


@bp.post("/threads/<thread_id>/comments")
def post_comments(thread_id: str):
    """Append comments (idempotent on comment id) and re-analyse the thread."""
    _check_id(thread_id)
    lang = reasons_language()
    body = json_body()
    comments, language = parse_append(body)
    engine = engine_or_503()
    with transaction() as session:
        result, added = append_comments(session, g.caller.platform_id, thread_id, comments,
                                        _created_at(body["comments"]), language,
                                        _analyzer(engine, lang), engine.model_version)
    metrics.comments_analysed(added)
    response = jsonify(result)
    response.headers["X-Comments-Added"] = str(added)
    return response


@bp.get("/threads/<thread_id>")
def get_thread(thread_id: str):
    """The stored thread's latest analysis."""
    _check_id(thread_id)
    with reading() as session:
        thread = find_thread(session, g.caller.platform_id, thread_id)
        if thread is None or thread.level is None:
            return _not_found(thread_id)
        return jsonify(latest(session, thread))


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
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise ValidationError([{"field": "limit",
                                "message": f"must be an integer from 1 to {MAX_PAGE}"}], 400)
    return int(value)


@bp.get("/threads")
def list_platform_threads():
    """The platform's threads, most urgent first; ``flagged=true`` for flagged ones only."""
    flagged, limit = _bool_arg("flagged"), _limit()
    with reading() as session:
        rows, cursor = list_threads(session, [g.caller.platform_id], flagged=flagged,
                                    limit=limit, cursor=request.args.get("cursor"))
        flags = active_flags(session, [t.id for t in rows])
        items = [{
            "id": t.external_id, "title": t.title, "url": t.url, "language": t.language,
            "comment_count": t.comment_count, "updated_at": iso(t.updated_at),
            "health": {"score": t.score, "level": t.level, "flags": flags[t.id]},
            "flagged": t.flagged, "review_state": t.review_state,
        } for t in rows]
    current_app.logger.debug("listed %d threads", len(items))
    return jsonify({"threads": items, "next_cursor": cursor})
