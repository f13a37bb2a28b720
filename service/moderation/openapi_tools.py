"""The OpenAPI rows of the moderator tools (issue 21): the queue's search and assignment
filter, bulk actions, a thread's assignment, notes, undo and reopen, a participant's page."""

from __future__ import annotations

from ..vocab import FLAGS
from .openapi_parts import HTML, SIGN_IN, TEXT, _action, _error, _form, _op, _page, _query

QUEUE_PARAMETERS = [
    _query("q", "Search: threads with a comment (its text or author) or a title holding "
           "every word (each a word's beginning); at most 200 characters, else ignored "
           "with a message", {"type": "string", "maxLength": 200}),
    _query("assigned", "Only threads assigned to me, or to nobody",
           {"type": "string", "enum": ["me", "none"]}),
]
COMMENT_CHOICES = ["all", "flagged", "self_promotion", "broadcast", "unanswered", "dominant"]
NEXT = {"type": "string", "description": "The page to go back to (a path of the "
                                         "moderation UI)"}

PATHS = {
    "/moderation/bulk": {"post": _op("moderation_bulk", "Act on several threads at once", {
        "303": {"description": "Done, or refused with a message naming what is wrong: "
                              "back to the queue (or next)"},
        "400": _error("Missing or wrong CSRF token")}, requestBody=_form({
            "action": {"type": "string", "enum": ["review", "escalate", "dismiss", "assign"]},
            "thread": {"type": "array", "maxItems": 100, "items": {
                "type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
            "flag": {"type": "string", "enum": list(FLAGS),
                     "description": "dismiss: the flag"},
            "reason": {**TEXT, "description": "dismiss: why (required)"},
            "note": {**TEXT, "description": "escalate: a note"},
            "assignee": {"type": "string", "maxLength": 100,
                         "description": "assign: a username, empty for nobody"},
            "next": NEXT}, ["action", "thread"]))},
    "/moderation/authors": {"get": _op("moderation_author", "A participant's page (HTML)", {
        "200": _page("Their comments on the platform, the share labelled self-promotion, "
                     "the threads they dominate"),
        "302": SIGN_IN, "400": _page("No platform, or no name (or one over 200 characters)"),
        "404": _page("The platform is not in the moderator's scope")}, parameters=[
            {**_query("platform", "A platform of the moderator", {"type": "string"}),
             "required": True},
            {**_query("name", "The author's name as in the comments",
                      {"type": "string", "minLength": 1, "maxLength": 200}),
             "required": True}])},
    "/moderation/threads/{thread_id}/assign": _action(
        "moderation_assign", "Assign a thread (or unassign it)", {
            "assignee": {"type": "string", "maxLength": 100, "description": "A username "
                         "that may moderate the thread; empty for nobody"},
            "next": NEXT}, [], []),
    "/moderation/threads/{thread_id}/notes": _action(
        "moderation_note", "Add a note for the moderators",
        {"text": {"type": "string", "minLength": 1, "maxLength": 1000}, "next": NEXT},
        ["text"], []),
    "/moderation/threads/{thread_id}/undo": _action(
        "moderation_undo", "Undo my last action on the thread (when nobody acted after it "
        "and no comment came since)", {"next": NEXT}, [], []),
    "/moderation/threads/{thread_id}/reopen": _action(
        "moderation_reopen", "Reopen a reviewed, dismissed or escalated thread",
        {"next": NEXT}, [], []),
}
__all__ = ["COMMENT_CHOICES", "HTML", "PATHS", "QUEUE_PARAMETERS"]
