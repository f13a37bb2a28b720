"""What clients send: a thread, comments to append, one text to analyse.

The limit on comments per request is the app's setting, so it comes in the validation
context (``{"limit": n}``); the OpenAPI document shows the default.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .fields import DateTime, Hint, Id, OptionalId, Text, bounded_text
from .limits import MAX_COMMENTS_PER_REQUEST, MAX_COMMENTS_PER_THREAD, MAX_TEXT, MAX_URL

COMMENTS_DESCRIPTION = (
    f"at most {MAX_COMMENTS_PER_REQUEST} comments per request (`MAX_COMMENTS_PER_REQUEST`); "
    f"a stored thread holds at most {MAX_COMMENTS_PER_THREAD} "
    "(`THREAD_HEALTH_MAX_COMMENTS_PER_THREAD`): beyond, 422 naming `comments`")


class Model(BaseModel):
    """Input models ignore unknown fields (clients may send more than we read)."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class CommentIn(Model):
    """One comment of a thread."""

    id: Id
    author: Id
    text: Text
    reply_to: OptionalId = Field(None, description="id of an earlier comment of the same "
                                                   "thread")
    created_at: DateTime = Field(None, json_schema_extra={"format": "date-time"})
    language: Hint = None


def _comments_array(value, info: ValidationInfo):
    """A non-empty array within the request limit, checked before any comment is."""
    limit = (info.context or {}).get("limit", MAX_COMMENTS_PER_REQUEST)
    if not isinstance(value, list) or not value:
        raise PydanticCustomError("comments", "must be a non-empty array of comments")
    if len(value) > limit:
        raise PydanticCustomError(
            "comments", "at most {limit} comments per request (MAX_COMMENTS_PER_REQUEST), "
                        "got {got}", {"limit": limit, "got": len(value)})
    return value


Comments = Annotated[list[CommentIn], Field(
    min_length=1, description=COMMENTS_DESCRIPTION,
    json_schema_extra={"maxItems": MAX_COMMENTS_PER_REQUEST})]


class ThreadIn(Model):
    """A whole thread (``PUT /v1/threads/{id}``, ``POST /v1/analyze/thread``, a JSON line)."""

    id: Id | None = Field(None, description="optional; must match the URL when stored")
    title: bounded_text(MAX_TEXT) = None
    url: bounded_text(MAX_URL) = None
    language: Hint = None
    comments: Comments

    _check_comments = field_validator("comments", mode="before")(_comments_array)


class AppendIn(Model):
    """Comments appended to a stored thread."""

    language: Hint = None
    comments: Comments

    _check_comments = field_validator("comments", mode="before")(_comments_array)


class TextIn(Model):
    """One comment's text to analyse on its own."""

    text: Text
    language: Hint = None
