"""The moderation UI's routes in the OpenAPI document: HTML pages and form posts, signed
in by the session cookie (hence ``security: []``), every form with its CSRF token."""

from __future__ import annotations

from ..vocab import ACTS, FLAGS, LABELS, LANGUAGES, LEVELS, PROMOTION, REVIEW_STATES
from .openapi_parts import (
    ROW_ID,
    SIGN_IN,
    TEXT,
    THREAD_ID,
    _action,
    _error,
    _form,
    _op,
    _page,
    _query,
)
from .openapi_tools import COMMENT_CHOICES, QUEUE_PARAMETERS
from .openapi_tools import PATHS as _TOOL_PATHS

PATHS = {
    "/moderation/": {"get": _op("moderation_queue", "The moderation queue (HTML)", {
        "200": _page("Flagged threads of the moderator's platforms, most urgent first"),
        "302": SIGN_IN}, parameters=[
        _query("flag", "Only threads with this active flag",
               {"type": "string", "enum": list(FLAGS)}),
        _query("platform", "Only this platform (within scope)", {"type": "string"}),
        _query("language", "Thread language: the platform's hint, else the language "
               "most of its comments were detected in", {"type": "string",
                                                          "enum": list(LANGUAGES)}),
        _query("level", "Health level", {"type": "string",
                                         "enum": list(LEVELS)}),
        _query("state", "Review state (default open)", {"type": "string", "enum": [
            *REVIEW_STATES, "all"]}),
        _query("from", "Updated on or after this day", {"type": "string", "format": "date"}),
        _query("to", "Updated on or before this day", {"type": "string", "format": "date"}),
        _query("cursor", "Next page, from the page's link", {"type": "string"})])},
    "/moderation/login": {
        "get": _op("moderation_sign_in_page", "The sign-in page (HTML)", {
            "200": _page("The sign-in form"), "302": {"description": "Already signed in"}}),
        "post": _op("moderation_sign_in", "Sign in", {
            "303": {"description": "Signed in: to the queue (or the page asked for)"},
            "200": _page("Wrong username or password (same answer for both)"),
            "400": _error("Missing or wrong CSRF token"),
            "429": {**_page("Too many failed attempts; see Retry-After"),
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}}}},
            requestBody=_form({"username": {"type": "string", "maxLength": 100},
                               "password": {"type": "string", "format": "password"},
                               "next": {"type": "string"}}, ["username", "password"]))},
    "/moderation/logout": {"post": _op("moderation_sign_out", "Sign out (every session of "
                                       "the account)", {
        "303": {"description": "Signed out: to the sign-in page"},
        "400": _error("Missing or wrong CSRF token")}, requestBody=_form({}, []))},
    "/moderation/language": {"post": _op("moderation_language", "Choose the UI language", {
        "303": {"description": "Back to the page the form was on"},
        "400": _error("Missing or wrong CSRF token")},
        requestBody=_form({"lang": {"type": "string", "enum": list(LANGUAGES)},
                           "next": {"type": "string"}}, ["lang"]))},
    "/moderation/threads/{thread_id}": {"get": _op(
        "moderation_thread", "A thread's page (HTML)", {
            "200": _page("Health, actions, a page of comments (in reply order, or only "
                         "those labelled self-promotion or broadcast), history, log; an "
                         "unknown page or choice is named on the page, which shows the "
                         "first page of all comments"),
            "302": SIGN_IN, "404": _error("No such thread in the moderator's scope")},
        parameters=[THREAD_ID,
                    _query("page", "Page of comments, 50 a page (past the last: the last)",
                           {"type": "integer", "minimum": 1, "default": 1}),
                    _query("comments", "Which comments: all, or only those labelled so",
                           {"type": "string", "enum": ["all", "self_promotion", "broadcast"],
                            "default": "all"})])},
    "/moderation/threads/{thread_id}/review": _action(
        "moderation_review", "Mark a thread reviewed", {"next": {"type": "string"}}, [], []),
    "/moderation/threads/{thread_id}/escalate": _action(
        "moderation_escalate", "Escalate a thread", {"note": TEXT}, [], []),
    "/moderation/threads/{thread_id}/flags/{flag}/dismiss": _action(
        "moderation_dismiss_flag", "Dismiss a flag with a reason", {"reason": TEXT},
        ["reason"], [{"name": "flag", "in": "path", "required": True,
                      "schema": {"type": "string", "enum": list(FLAGS)}}]),
    "/moderation/threads/{thread_id}/comments/{comment_id}/correction": _action(
        "moderation_correct", "Correct a comment's act or promotion label", {
            "field": {"type": "string", "enum": list(LABELS)},
            "value": {"type": "string", "enum": [*ACTS, *PROMOTION]},
            "next": {"type": "string", "description": "The page to go back to (a path "
                                                      "of the moderation UI)"}},
        ["field", "value"], [{"name": "comment_id", "in": "path", "required": True,
                              "description": "The comment's row id",
                              "schema": ROW_ID}]),
}

# The moderator tools (issue 21): their parameters and paths.

PATHS["/moderation/"]["get"]["parameters"][-1:-1] = QUEUE_PARAMETERS
PATHS["/moderation/threads/{thread_id}"]["get"]["parameters"][-1]["schema"]["enum"] = \
    COMMENT_CHOICES
PATHS.update(_TOOL_PATHS)
