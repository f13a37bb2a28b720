"""Bodies over ``MAX_CONTENT_LENGTH`` are refused with 413, chunked ones too.

A body sent with ``Transfer-Encoding: chunked`` has no Content-Length to check up front;
Werkzeug then stops reading at the limit and hands over the first ``MAX_CONTENT_LENGTH``
bytes as if they were the whole body, so an oversized JSON body looked malformed (400).
This hook reads such a body once (cached for ``get_data`` and form parsing) and answers
413 when more follows the limit. A route may take larger bodies: its endpoint's limit
in ``app.extensions["body_limits"]`` replaces ``MAX_CONTENT_LENGTH`` for its requests.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge


def _limit_chunked_body() -> None:
    larger = current_app.extensions.get("body_limits", {}).get(request.endpoint)
    if larger is not None:  # a route that takes larger bodies (a job's NDJSON)
        request.max_content_length = larger
    limit = request.max_content_length
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    if limit is None or request.content_length is not None or not chunked:
        return
    data = request.get_data(cache=True)  # at most ``limit`` bytes
    if len(data) >= limit and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()


def init_app(app: Flask) -> None:
    app.before_request(_limit_chunked_body)
