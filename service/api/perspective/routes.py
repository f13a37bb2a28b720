"""``comments:analyze`` and ``comments:suggestscore``, Perspective's two calls."""

from __future__ import annotations

from flask import current_app, g, jsonify

from ... import metrics
from ...nlp.features import CommentInput
from ...services import threads as service
from ...store import transaction
from ...store.suggestions import perspective_ids, record_suggestion
from .. import engine_or_503, moderation_rules
from . import bp, json_body
from .parsing import AnalyzeRequest, parse_analyze, parse_suggest, suggested_labels
from .scoring import analyze, decide_language


def _store(engine, req: AnalyzeRequest, language: str | None) -> str:
    """Keep the comment as a one-comment thread of its community (see docs/perspective.md):
    idempotent, so the same community and text again stores nothing new."""
    thread_id, comment_id = perspective_ids(req.community_id, req.text)
    comment = CommentInput(id=comment_id, author="anonymous", text=req.text.strip(),
                           language=language)
    service.append(engine, g.caller.platform_id, thread_id, [comment], language=language,
                   reasons_language=language, include="sent",
                   actor=f"platform:{g.caller.platform}",
                   limit=current_app.config["MAX_COMMENTS_PER_THREAD"],
                   rules=moderation_rules())
    return thread_id


@bp.post("/comments:analyze")
def comments_analyze():
    req = parse_analyze(json_body())
    engine = engine_or_503()
    body = analyze(engine, req)
    metrics.comments_analysed(1)
    response = jsonify(body)
    if not req.do_not_store and req.community_id is not None:
        hint = req.languages[0] if len(req.languages) == 1 else None
        response.headers["X-Thread-Health-Thread"] = _store(engine, req, hint)
    return response


@bp.post("/comments:suggestscore")
def comments_suggestscore():
    req = parse_suggest(json_body())
    labels = suggested_labels(req.scores)
    engine = engine_or_503()
    language, _ = decide_language(engine, AnalyzeRequest(
        text=req.text, attributes=[], languages=req.languages))
    seen = engine.analyze_comment(req.text.strip(), language)
    predicted = {"act": seen["act"]["label"], "promotion": seen["promotion"]["label"],
                 "language": seen["language"]}
    with transaction() as session:
        record_suggestion(session, g.caller.platform_id, f"platform:{g.caller.platform}",
                          req.community_id, req.text.strip(), labels, predicted,
                          engine.model_version)
    return jsonify({} if req.client_token is None else {"clientToken": req.client_token})
