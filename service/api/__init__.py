"""The platforms' API under /v1: bearer-key authentication, JSON in, JSON out."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, g, request
from werkzeug.exceptions import UnsupportedMediaType

from ..current_model import engine
from ..errors import problem
from ..ratelimit import api_key_id, api_limit, limiter
from ..services.moderation_state import Rules
from ..store import reading
from ..store.keys import authenticate
from ..validation import ValidationError, parse_json
from ..vocab import UI_LANGUAGES

bp = Blueprint("api", __name__, url_prefix="/v1")
limiter.limit(api_limit, key_func=api_key_id)(bp)


@dataclass(frozen=True)
class Caller:
    """The platform behind the request's key."""

    platform_id: int
    platform: str


@bp.before_request
def require_key():
    """Every /v1 route needs ``Authorization: Bearer <key>`` of an active key."""
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return problem(401, "Unauthorized", "Send an API key: 'Authorization: Bearer <key>' "
                       "(create one with `thread-health keys create --platform NAME`).",
                       [{"field": "Authorization", "message": "expected 'Bearer <api key>'"}],
                       kind="unauthorized", headers={"WWW-Authenticate": "Bearer"})
    with reading() as session:
        platform = authenticate(session, key.strip())
    caller = Caller(*platform) if platform else None
    if caller is None:
        return problem(401, "Unauthorized", "This API key is unknown or revoked.",
                       [{"field": "Authorization", "message": "unknown or revoked API key"}],
                       kind="unauthorized",
                       headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    g.caller = caller
    return None


def json_body():
    """The request's JSON body; a problem naming ``body`` when it is missing, malformed or
    nested deeper than the limit."""
    if not request.is_json:
        raise UnsupportedMediaType("Send the body as JSON with 'Content-Type: application/json'.")
    return parse_json(request.get_data(cache=True))


def reasons_language() -> str | None:
    """The ``lang`` query parameter (``vocab.UI_LANGUAGES``): the language of the health
    reasons."""
    lang = request.args.get("lang")
    if lang is not None and lang not in UI_LANGUAGES:
        expected = " or ".join(f"'{code}'" for code in UI_LANGUAGES)
        raise ValidationError([{"field": "lang", "message": f"must be {expected}"}], 400)
    return lang


def moderation_rules() -> Rules:
    """The running app's moderation rules, which the thread service applies to each new
    analysis (``service.moderation.init_app`` reads them from the configuration)."""
    return current_app.extensions["moderation_rules"]


def engine_or_503():
    """The loaded engine, or a 503 problem while no model is loaded."""

    current = engine()
    if current is None:
        reason = current_app.extensions["engine_holder"].error
        raise ServiceUnavailable(f"No model is loaded: {reason}")
    return current


class ServiceUnavailable(Exception):
    """No model to analyse with (see /readyz)."""


@bp.errorhandler(ServiceUnavailable)
def _unavailable(exc):
    return problem(503, "Service Unavailable", str(exc), kind="model-unavailable",
                   headers={"Retry-After": "30"})


from . import analyze, jobs, model_info, threads, webhooks  # noqa: E402, F401  (routes register on bp)
