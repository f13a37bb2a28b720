"""Field types shared by the models, each failing with our own message.

Every message says what was expected, so ``errors[].message`` reads the same whether a
bad value came through the API, the corpus checker or the CSV reader.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, ValidationError, WrapValidator
from pydantic_core import PydanticCustomError

from ..vocab import LANGUAGES
from .limits import MAX_DATETIME, MAX_ID, MAX_TEXT


def storable(value: str) -> bool:
    """Text every database can keep: no NUL character, no lone surrogate."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _storable(value: str) -> str:
    if not storable(value):
        raise PydanticCustomError("storable", "must be valid Unicode text without NUL "
                                              "characters")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be empty")
    return value


def _iso_datetime(value, handler):
    """A string of at most MAX_DATETIME characters that reads as an ISO 8601 date-time."""
    try:
        value = handler(value)
        datetime.fromisoformat(value)
    except (ValueError, ValidationError):  # pydantic's ValidationError is a ValueError too
        raise PydanticCustomError(
            "datetime", "must be an ISO 8601 date-time string such as 2026-11-20T10:00:00Z"
        ) from None
    return value


def one_of(values: tuple[str, ...], *, nullable: bool = False):
    """A string among ``values`` (or null), failing with "must be one of [...]"."""
    allowed = list(values)
    suffix = " or null" if nullable else ""

    def check(value, handler):
        try:
            return handler(value)
        except ValidationError:
            raise PydanticCustomError(
                "one_of", "must be one of {allowed}" + suffix + ", got {got}",
                {"allowed": allowed, "got": repr(value)}) from None

    base = Literal[values] | None if nullable else Literal[values]
    return Annotated[base, WrapValidator(check)]


# An id: 1..MAX_ID characters, not only spaces (kept as sent).
Id = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID), AfterValidator(_not_blank),
               AfterValidator(_storable)]
# A comment's text: trimmed, then 1..MAX_TEXT characters.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                        max_length=MAX_TEXT), AfterValidator(_storable),
                 Field(description=f"1..{MAX_TEXT} characters after trimming")]
OptionalId = Annotated[str, StringConstraints(max_length=MAX_ID),
                       AfterValidator(_storable)] | None
DateTime = Annotated[str, StringConstraints(max_length=MAX_DATETIME),
                     WrapValidator(_iso_datetime)] | None
# A language hint: "fr", "en" or null.
Hint = one_of(LANGUAGES, nullable=True)


def bounded_text(limit: int):
    """Optional free text of at most ``limit`` characters."""
    return Annotated[str, StringConstraints(max_length=limit),
                     AfterValidator(_storable)] | None
