"""Rate limits with Flask-Limiter: per API key on /v1, per client address on sign-in.

Counters live in ``RATELIMIT_STORAGE_URI`` (default in memory, so each gunicorn worker
counts on its own: with N workers a key gets up to N times the limit; point it at Redis,
``redis://…``, to share the counts). Answers over the limit are 429 problems with
``Retry-After``. The strategy is the sliding-window counter of ``limits``: it weighs the
previous window's count by how much of it still overlaps, so bursts at a window edge are
not let through twice, and it costs two counters per limit instead of one timestamp per
request (the moving window kept up to 3,000 timestamps per key and scanned them on every
request to fill the headers).
"""

from __future__ import annotations

import hashlib

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def api_key_id() -> str:
    """Who is counted: a digest of the bearer token (never the key itself)."""
    token = request.headers.get("Authorization", "").partition(" ")[2].strip()
    if not token:
        return "anonymous:" + get_remote_address()
    return "key:" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]


def api_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


limiter = Limiter(key_func=get_remote_address, headers_enabled=True,
                  storage_uri="memory://", strategy="sliding-window-counter")


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_STRATEGY", "sliding-window-counter")
    limiter.init_app(app)
