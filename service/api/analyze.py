"""One-off analysis: a comment or a whole thread, nothing stored."""

from __future__ import annotations

from flask import current_app, jsonify

from .. import metrics
from ..validation import parse_single, parse_thread
from . import bp, engine_or_503, json_body, reasons_language


@bp.post("/analyze/comment")
def analyze_comment():
    text, language = parse_single(json_body())
    result = engine_or_503().analyze_comment(text, language)
    metrics.comments_analysed(1)
    return jsonify(result)


@bp.post("/analyze/thread")
def analyze_thread():
    lang = reasons_language()
    thread = parse_thread(json_body(), limit=current_app.config["MAX_COMMENTS_PER_REQUEST"])
    result = engine_or_503().analyze_thread(thread, lang)
    metrics.comments_analysed(len(thread.comments))
    return jsonify(result)
