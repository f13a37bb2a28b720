"""One error shape for the API: RFC 9457 ``application/problem+json``."""

from __future__ import annotations

from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException

from .store.errors import (
    BadCursor,
    CommentsConflict,
    CommentsRejected,
    StoreError,
    ThreadBusy,
    ThreadFull,
)
from .validation import ValidationError

PROBLEM_TYPE_BASE = "https://thread-health.example/problems/"


def problem(status: int, title: str, detail: str = "", errors: list[dict] | None = None,
            kind: str | None = None, headers: dict | None = None) -> Response:
    """Build a problem+json response."""
    body: dict = {
        "type": PROBLEM_TYPE_BASE + (kind or title.lower().replace(" ", "-")),
        "title": title,
        "status": status,
        "detail": detail or title,
    }
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _validation_error(exc: ValidationError) -> Response:
    return problem(exc.status, "Invalid input", str(exc), exc.errors, kind="invalid-input")


# The HTTP status of each refusal of the storage (the one place that maps them).
STORE_STATUS = {CommentsConflict: 409, CommentsRejected: 422, ThreadFull: 422, BadCursor: 400}


def _store_error(exc: StoreError) -> Response:
    return problem(STORE_STATUS.get(type(exc), 422), "Invalid input", str(exc), exc.errors,
                   kind="invalid-input")


def _busy(exc: ThreadBusy) -> Response:
    return problem(503, "Service Unavailable", "The thread kept changing while this request "
                   "was being stored; send it again (appends are idempotent).",
                   kind="thread-busy", headers={"Retry-After": "1"})


def _http_error(exc: HTTPException) -> Response:
    errors = None
    if exc.code == 413:
        errors = [{"field": "body", "message": "must be at most 2 MB (2,097,152 bytes)"}]
    elif exc.code == 415:
        errors = [{"field": "Content-Type", "message": "expected application/json"}]
    return problem(exc.code or 500, exc.name, exc.description or exc.name, errors)


def _unexpected(exc: Exception) -> Response:
    from flask import current_app

    current_app.logger.exception("unhandled error")
    return problem(500, "Internal Server Error", "The server failed; the error was logged.")


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(ValidationError, _validation_error)
    app.register_error_handler(StoreError, _store_error)
    app.register_error_handler(ThreadBusy, _busy)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
