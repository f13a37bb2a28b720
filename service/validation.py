"""Validation of threads and comments at the edge (HTTP and CLI), free of Flask.

The shapes are the pydantic models of ``service.schemas``; this module turns a body into
the plain values the service layer takes, and pydantic's errors into ours: every problem
with its field path ("comments[3].reply_to") and what was expected, all at once, so a
client fixes a request in one go.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pydantic import ValidationError as PydanticError

from .nlp.features import CommentInput
from .schemas.errors import as_errors
from .schemas.fields import storable
from .schemas.inputs import AppendIn, CommentIn, TextIn, ThreadIn
from .schemas.limits import MAX_COMMENTS_PER_REQUEST, MAX_ID, MAX_JSON_DEPTH, MAX_TEXT
from .vocab import LANGUAGES

HINTS = LANGUAGES  # the language hints a client may give

__all__ = ["HINTS", "MAX_ID", "MAX_JSON_DEPTH", "MAX_TEXT", "ThreadInput", "ValidationError",
           "parse_append", "parse_json", "parse_single", "parse_thread", "storable",
           "string_field"]


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
    else None with the problem appended to ``errors`` under ``field`` (for the shapes of
    other services, such as Coral's, that are not ours to model)."""
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


def _validated(model, obj, limit: int, not_object: str):
    """``obj`` as ``model``, or ValidationError naming every bad field."""
    if not isinstance(obj, dict):
        raise ValidationError([{"field": "body", "message": not_object}])
    try:
        return model.model_validate(obj, context={"limit": limit}), []
    except PydanticError as exc:
        return None, as_errors(exc)


def _cross_checks(raw: list, errors: list[dict], *, check_replies: bool) -> None:
    """Unique ids, and (``check_replies``) each ``reply_to`` naming an earlier comment, among
    the comments that are valid on their own (``errors`` holds the others' problems)."""
    bad = {e["field"].split("]")[0] + "]" for e in errors if e["field"].startswith("comments[")}
    seen: set[str] = set()
    for i, item in enumerate(raw):
        if f"comments[{i}]" in bad:
            continue
        cid, reply_to = item["id"], item.get("reply_to")
        if cid in seen:
            errors.append({"field": f"comments[{i}].id",
                           "message": f"duplicate comment id {cid!r} in this request"})
        elif check_replies and reply_to is not None and reply_to not in seen:
            errors.append({"field": f"comments[{i}].reply_to",
                           "message": "must be the id of an earlier comment of this thread"})
        seen.add(cid)


def _inputs(comments: tuple[CommentIn, ...] | list[CommentIn]) -> list[CommentInput]:
    return [CommentInput(id=c.id, author=c.author, text=c.text, reply_to=c.reply_to,
                         language=c.language, created_at=c.created_at) for c in comments]


def _comments_listed(obj) -> bool:
    comments = obj.get("comments")
    return isinstance(comments, list)


def _check(model, obj, limit: int, not_object: str, *, check_replies: bool):
    parsed, errors = _validated(model, obj, limit, not_object)
    whole_array = any(e["field"] == "comments" for e in errors)
    if _comments_listed(obj) and not whole_array:
        _cross_checks(obj["comments"], errors, check_replies=check_replies)
    if errors:
        raise ValidationError(errors)
    return parsed


def parse_thread(obj, *, id_required: bool = False,
                 limit: int = MAX_COMMENTS_PER_REQUEST) -> ThreadInput:
    """Validate a thread object of the public contract (``schemas.ThreadIn``): at most
    ``limit`` comments (the app's ``MAX_COMMENTS_PER_REQUEST``), ids unique, every
    ``reply_to`` naming an earlier comment; raises ValidationError."""
    if id_required and isinstance(obj, dict) and obj.get("id") is None:
        raise ValidationError([{"field": "id", "message": "is required"}])
    thread = _check(ThreadIn, obj, limit, "must be a JSON object (a thread)", check_replies=True)
    return ThreadInput(id=thread.id, language=thread.language, comments=_inputs(thread.comments),
                       title=thread.title, url=thread.url)


def parse_append(obj, *, limit: int = MAX_COMMENTS_PER_REQUEST
                 ) -> tuple[list[CommentInput], str | None]:
    """Validate the body of an append (``schemas.AppendIn``); a ``reply_to`` is checked
    against the stored thread later, not here."""
    body = _check(AppendIn, obj, limit, 'must be a JSON object {"comments": [...]}',
                  check_replies=False)
    return _inputs(body.comments), body.language


def parse_single(obj) -> tuple[str, str | None]:
    """Validate the body of a one-comment analysis (``schemas.TextIn``)."""
    parsed, errors = _validated(TextIn, obj, 1, 'must be a JSON object {"text": ...}')
    if errors:
        raise ValidationError(errors)
    return parsed.text, parsed.language
