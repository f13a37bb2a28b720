"""Validation of threads and comments at the edge (HTTP and CLI), free of Flask.

Every problem is reported with its field path ("comments[3].reply_to") and what was
expected, all at once, so a client fixes a request in one go.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from .config import MAX_COMMENTS_PER_REQUEST
from .nlp.features import CommentInput

MAX_TEXT = 10_000
MAX_ID = 200
MAX_JSON_DEPTH = 64  # arrays and objects inside each other; a thread needs 3
HINTS = ("fr", "en")


class ValidationError(Exception):
    """Bad input; ``errors`` is a list of ``{"field", "message"}``."""

    def __init__(self, errors: list[dict], status: int = 422):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors
        self.status = status


def _too_deep(value, limit: int) -> bool:
    """Whether arrays and objects nest more than ``limit`` levels (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (dict, list)))
    return False


def parse_json(data: bytes | str):
    """A request body as JSON with at most MAX_JSON_DEPTH levels of nesting; ValidationError
    (400, field ``body``) when it is not JSON or nests deeper."""
    deep = [{"field": "body", "message": f"nests arrays and objects more than {MAX_JSON_DEPTH} "
                                         "levels deep (the limit)"}]
    try:
        value = json.loads(data)
    except RecursionError as exc:  # far deeper than the limit
        raise ValidationError(deep, 400) from exc
    except ValueError as exc:  # includes bytes that are not UTF-8
        raise ValidationError([{"field": "body", "message": "is not valid JSON"}], 400) from exc
    if isinstance(value, (dict, list)) and _too_deep(value, MAX_JSON_DEPTH):
        raise ValidationError(deep, 400)
    return value


@dataclass(frozen=True)
class ThreadInput:
    """A validated thread."""

    id: str | None
    language: str | None
    comments: list[CommentInput]
    title: str | None = None
    url: str | None = None


def string_field(value, field: str, errors: list, *, required: bool, limit: int,
                 strip: bool = False) -> str | None:
    """``value`` when it is a storable string within ``limit`` (checked stripped when asked),
    else None with the problem appended to ``errors`` under ``field``."""
    if value is None:
        if required:
            errors.append({"field": field, "message": "is required (a string)"})
        return None
    if not isinstance(value, str):
        errors.append({"field": field, "message": f"must be a string, got {type(value).__name__}"})
        return None
    checked = value.strip() if strip else value
    if required and not checked:
        errors.append({"field": field, "message": "must not be empty"})
        return None
    if len(checked) > limit:
        errors.append({"field": field, "message": f"must be at most {limit} characters, "
                                                  f"got {len(checked)}"})
        return None
    if not storable(value):
        errors.append({"field": field, "message": "must be valid Unicode text without NUL "
                                                  "characters"})
        return None
    return value


def storable(value: str) -> bool:
    """Text every database can keep: no NUL character, no lone surrogate."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_iso_datetime(value) -> bool:
    if not isinstance(value, str) or len(value) > 64:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _hint(value, field: str, errors: list) -> str | None:
    if value is None:
        return None
    if value not in HINTS:
        errors.append({"field": field, "message": f"must be one of {list(HINTS)} or null"})
        return None
    return value


def parse_comment(obj, field: str, errors: list, *,
                  id_required: bool = True) -> CommentInput | None:
    """Validate one comment object; appends to ``errors`` and returns None when bad."""
    if not isinstance(obj, dict):
        errors.append({"field": field, "message": "must be an object"})
        return None
    before = len(errors)
    cid = string_field(obj.get("id"), f"{field}.id", errors, required=id_required, limit=MAX_ID,
                  strip=True)
    author = string_field(obj.get("author"), f"{field}.author", errors, required=id_required,
                     limit=MAX_ID, strip=True)
    text = string_field(obj.get("text"), f"{field}.text", errors, required=True, limit=MAX_TEXT,
                   strip=True)
    reply_to = string_field(obj.get("reply_to"), f"{field}.reply_to", errors, required=False,
                       limit=MAX_ID)
    hint = _hint(obj.get("language"), f"{field}.language", errors)
    created = obj.get("created_at")
    if created is not None and not _is_iso_datetime(created):
        errors.append({"field": f"{field}.created_at",
                       "message": "must be an ISO 8601 date-time string such as "
                                  "2026-11-20T10:00:00Z"})
    if len(errors) > before:
        return None
    return CommentInput(id=cid or "", author=author or "", text=text.strip(), reply_to=reply_to,
                        language=hint, created_at=created)


def parse_comments(raw, errors: list, *, check_replies: bool = True,
                   limit: int = MAX_COMMENTS_PER_REQUEST) -> list[CommentInput]:
    """Validate the ``comments`` array: at most ``limit`` comments (the configured
    ``MAX_COMMENTS_PER_REQUEST``), ids unique; with ``check_replies``, every ``reply_to``
    names an earlier comment of the array (an append checks it against the stored thread
    instead)."""
    if not isinstance(raw, list) or not raw:
        errors.append({"field": "comments", "message": "must be a non-empty array of comments"})
        return []
    if len(raw) > limit:
        errors.append({"field": "comments",
                       "message": f"at most {limit} comments per request "
                                  f"(MAX_COMMENTS_PER_REQUEST), got {len(raw)}"})
        return []
    seen: set[str] = set()
    comments: list[CommentInput] = []
    for i, item in enumerate(raw):
        comment = parse_comment(item, f"comments[{i}]", errors)
        if comment is None:
            continue
        if comment.id in seen:
            errors.append({"field": f"comments[{i}].id",
                           "message": f"duplicate comment id {comment.id!r} in this request"})
        elif check_replies and comment.reply_to is not None and comment.reply_to not in seen:
            errors.append({"field": f"comments[{i}].reply_to",
                           "message": "must be the id of an earlier comment of this thread"})
        seen.add(comment.id)
        comments.append(comment)
    return comments


def parse_thread(obj, *, id_required: bool = False,
                 limit: int = MAX_COMMENTS_PER_REQUEST) -> ThreadInput:
    """Validate a thread object of the public contract; raises ValidationError."""
    errors: list[dict] = []
    if not isinstance(obj, dict):
        raise ValidationError([{"field": "body", "message": "must be a JSON object (a thread)"}])
    tid = string_field(obj.get("id"), "id", errors, required=id_required, limit=MAX_ID, strip=True)
    title = string_field(obj.get("title"), "title", errors, required=False, limit=MAX_TEXT)
    url = string_field(obj.get("url"), "url", errors, required=False, limit=2048)
    language = _hint(obj.get("language"), "language", errors)
    comments = parse_comments(obj.get("comments"), errors, limit=limit)
    if errors:
        raise ValidationError(errors)
    return ThreadInput(id=tid, language=language, comments=comments, title=title, url=url)


def parse_append(obj, *, limit: int = MAX_COMMENTS_PER_REQUEST
                 ) -> tuple[list[CommentInput], str | None]:
    """Validate the body of an append: ``{"comments": [...], "language"?}``."""
    errors: list[dict] = []
    if not isinstance(obj, dict):
        raise ValidationError([{"field": "body",
                                "message": 'must be a JSON object {"comments": [...]}'}])
    language = _hint(obj.get("language"), "language", errors)
    comments = parse_comments(obj.get("comments"), errors, check_replies=False, limit=limit)
    if errors:
        raise ValidationError(errors)
    return comments, language


def parse_single(obj) -> tuple[str, str | None]:
    """Validate the body of a one-comment analysis: ``{"text", "language"?}``."""
    errors: list[dict] = []
    if not isinstance(obj, dict):
        raise ValidationError([{"field": "body", "message": 'must be a JSON object {"text": ...}'}])
    text = string_field(obj.get("text"), "text", errors, required=True, limit=MAX_TEXT, strip=True)
    language = _hint(obj.get("language"), "language", errors)
    if errors:
        raise ValidationError(errors)
    return text.strip(), language
