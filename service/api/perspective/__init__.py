"""Perspective API compatibility under /v1alpha1: a platform switches its base URL to us.

Authentication as Perspective's clients send it, ``?key=<api key>`` in the query, or our
``Authorization: Bearer <api key>``. Errors in Google's shape
(``{"error": {"code", "message", "status"}}``), never problem+json, because that is what
Perspective's clients parse. docs/perspective.md is the migration guide.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, g, request
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException

from ...ratelimit import api_limit, limiter
from ...store import reading
from ...store.keys import authenticate
from .. import Caller, ServiceUnavailable
from . import relaxed
from .parsing import PerspectiveError

bp = Blueprint("perspective", __name__, url_prefix="/v1alpha1")


def request_key() -> str | None:
    """The API key of the request: ``?key=`` first, else the bearer header."""
    key = request.args.get("key")
    if key is None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        key = token if scheme.lower() == "bearer" else None
    return key.strip() if key and key.strip() else None


def perspective_key_id() -> str:
    """Who the rate limit counts: a digest of the key, wherever it was sent."""
    key = request_key()
    if key is None:
        return "anonymous:" + get_remote_address()
    return "key:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


limiter.limit(api_limit, key_func=perspective_key_id)(bp)


@bp.before_request
def require_key():
    """Google's answers: no key is 403 PERMISSION_DENIED, a bad key 400 API_KEY_INVALID."""
    key = request_key()
    if key is None:
        raise PerspectiveError("The request is missing a valid API key.", 403)
    with reading() as session:
        platform = authenticate(session, key)
    if platform is None:
        raise PerspectiveError("API key not valid. Please pass a valid API key.", 400, [{
            "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
            "domain": "googleapis.com"}])
    g.caller = Caller(*platform)


def json_body():
    """The body as JSON whatever its Content-Type, bare keys allowed (as Google's front
    end accepts them, and Perspective's documented ``curl`` sends them)."""
    try:
        return relaxed.loads(request.get_data(as_text=True))
    except (ValueError, RecursionError) as exc:
        raise PerspectiveError("Invalid JSON payload received.") from exc


def _answer(error: PerspectiveError):
    return error.body(), error.status


@bp.errorhandler(PerspectiveError)
def _perspective_error(exc: PerspectiveError):
    return _answer(exc)


@bp.errorhandler(ServiceUnavailable)
def _unavailable(exc: ServiceUnavailable):
    body, status = _answer(PerspectiveError(str(exc), 503))
    return body, status, {"Retry-After": "30"}


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    messages = {413: "Request payload size exceeds the limit: 2097152 bytes.",
                429: "Quota exceeded for this API key; retry later."}
    code = exc.code or 500
    body, status = _answer(PerspectiveError(messages.get(code, exc.description or exc.name),
                                            code))
    return body, status


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    from flask import current_app

    current_app.logger.exception("unhandled error")
    return _answer(PerspectiveError("Internal error encountered.", 500))


from . import routes  # noqa: E402, F401  (routes register on bp)
