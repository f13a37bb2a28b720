"""Labelled data: corpus threads (JSON Lines) and flat CSV rows.

A corpus thread is a thread of the public contract with labels added (its health rating
and flags, each comment's act, promotion and language), so it extends the input models;
``data check``, ``train`` and the CSV reader validate with these.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from ..vocab import ACTS, DETECTED_LANGUAGES, FLAGS, LANGUAGES, PROMOTION
from .fields import Id, Text, one_of
from .inputs import CommentIn
from .limits import HEALTH_RATINGS, MIN_CORPUS_COMMENTS


class CommentLabels(BaseModel):
    """A comment's labels (TAXONOMY.md); ``hard`` names the kind of a hard case."""

    model_config = ConfigDict(extra="allow", frozen=True)

    act: one_of(ACTS)
    promotion: one_of(PROMOTION)
    language: one_of(DETECTED_LANGUAGES)
    hard: str | None = None


class ThreadLabels(BaseModel):
    """A thread's labels: a health rating from 1 (not a conversation) to 5, and flags."""

    model_config = ConfigDict(extra="allow", frozen=True)

    health: Annotated[StrictInt, Field(ge=min(HEALTH_RATINGS), le=max(HEALTH_RATINGS))]
    flags: list[one_of(FLAGS)]


class CorpusComment(CommentIn):
    labels: CommentLabels


class CorpusThread(BaseModel):
    """A labelled thread: one line of a corpus file."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: Id
    language: one_of(LANGUAGES)
    labels: ThreadLabels
    comments: Annotated[list[CorpusComment], Field(min_length=MIN_CORPUS_COMMENTS)]


class CsvRow(BaseModel):
    """The labelled fields of one row of a flat CSV (values already trimmed)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    text: Text
    act: one_of(ACTS)
    promotion: one_of(PROMOTION)
    language: one_of(DETECTED_LANGUAGES)

