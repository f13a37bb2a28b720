"""The phase call: verify the signature, validate, store the comment, answer FLAG or 204."""

from __future__ import annotations

from flask import current_app, jsonify, request

from ... import metrics
from ...errors import problem
from ...nlp.features import CommentInput
from ...services import threads as service
from ...store import reading
from ...store.coral import PhaseConfig, phase_config, stored_texts
from ...store.errors import CommentsConflict
from ...validation import parse_json
from .. import engine_or_503, moderation_rules
from . import bp
from .parsing import PhaseRequest, parse_phase
from .signing import verify

FLAG = {"actions": [{"actionType": "FLAG", "reason": "COMMENT_DETECTED_SPAM"}]}


def _unauthorized(detail: str):
    return problem(401, "Unauthorized", detail,
                   [{"field": "X-Coral-Signature",
                     "message": "expected sha256=<hex HMAC-SHA256 of the body>, signed with "
                                "this platform's Coral secret"}], kind="unauthorized")


def _store(engine, phase: PhaseConfig, req: PhaseRequest) -> float:
    """Append the comment to the story's thread (idempotent); its P(self_promotion).

    A comment id already stored with other text (an EDIT sent with Coral's id) keeps its
    first text: the edit is scored, not stored."""
    comment_id = req.stored_comment_id()
    ids = [comment_id] + ([req.parent_id] if req.parent_id else [])

    with reading() as session:
        known = stored_texts(session, phase.platform_id, req.story_id, ids)
    if comment_id in known and known[comment_id] != req.body:
        return engine.analyze_comment(req.body, None)["promotion"]["score"]
    reply_to = req.parent_id if req.parent_id in known else None
    comment = CommentInput(id=comment_id, author=req.author_id, text=req.body,
                           reply_to=reply_to)
    outcome = service.append(engine, phase.platform_id, req.story_id, [comment],
                             include="sent", actor=f"coral:{phase.platform_id}",
                             limit=current_app.config["MAX_COMMENTS_PER_THREAD"],
                             rules=moderation_rules(), url=req.story_url)
    metrics.comments_analysed(outcome.added)
    return outcome.body["comments"][0]["promotion"]["score"]


@bp.post("/<platform>/phase")
def phase(platform: str):
    """Coral's external moderation phase for ``platform``."""
    raw = request.get_data(cache=True)
    with reading() as session:
        config = phase_config(session, platform)
    header = request.headers.get("X-Coral-Signature")
    if config is None or not verify(header, raw, config.secrets):
        reason = "missing" if not header else "invalid"
        current_app.logger.info("coral phase %r: %s signature", platform, reason)
        return _unauthorized("The X-Coral-Signature header is missing." if not header else
                             "No signature matches this platform's Coral secret.")
    req = parse_phase(parse_json(raw))
    engine = engine_or_503()
    try:
        p_promotion = _store(engine, config, req)
    except CommentsConflict:  # stored meanwhile with other content: decide without storing
        p_promotion = engine.analyze_comment(req.body, None)["promotion"]["score"]
    threshold = config.threshold if config.threshold is not None else engine.threshold
    if p_promotion >= threshold:
        return jsonify(FLAG)
    return "", 204
