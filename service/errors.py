"""Errors: RFC 9457 ``application/problem+json`` for the API and any client that does not
prefer HTML; a UI's own HTML page for a browser under that UI's path (``html_pages``).

``/v1`` registers no HTML pages, so the API always answers problem+json; the moderation UI
registers its pages for ``/moderation``, where a browser (an ``Accept`` that prefers
text/html) gets a page in its language, and a script asking for JSON, or sending no
``Accept`` at all, still gets problem+json.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, current_app, json, request
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
# The types a client may ask for, the API's first: equal preferences get problem+json.
_OFFERED = ("application/problem+json", "application/json", "text/html")


def html_pages(app: Flask, prefix: str, render: Callable[[Exception], Response]) -> None:
    """Under ``prefix``, errors become ``render(exc)`` for clients that prefer HTML."""
    app.extensions.setdefault("html_error_pages", {})[prefix] = render


def _html_page(exc: Exception) -> Response | None:
    """The HTML page of the UI the request's path belongs to, when the client prefers
    HTML to JSON; None otherwise (then problem+json)."""
    if request.accept_mimetypes.best_match(_OFFERED) != "text/html":
        return None
    for prefix, render in current_app.extensions.get("html_error_pages", {}).items():
        if request.path == prefix or request.path.startswith(prefix + "/"):
            return render(exc)
    return None


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
    page = _html_page(exc)
    if page is not None:
        return page
    errors = None
    if exc.code == 413:
        errors = [{"field": "body", "message": "must be at most 2 MB (2,097,152 bytes)"}]
    elif exc.code == 415:
        errors = [{"field": "Content-Type", "message": "expected application/json"}]
    return problem(exc.code or 500, exc.name, exc.description or exc.name, errors)


def _unexpected(exc: Exception) -> Response:
    current_app.logger.exception("unhandled error")
    try:
        page = _html_page(exc)
    except Exception:  # a failing error page must not hide the 500
        current_app.logger.exception("the HTML error page failed too")
        page = None
    if page is not None:
        return page
    return problem(500, "Internal Server Error", "The server failed; the error was logged.")


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(ValidationError, _validation_error)
    app.register_error_handler(StoreError, _store_error)
    app.register_error_handler(ThreadBusy, _busy)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
