"""Pydantic's errors as ours: ``{"field": "comments[3].reply_to", "message": "..."}``."""

from __future__ import annotations

from pydantic import ValidationError as PydanticError
from pydantic_core import ErrorDetails

# Pydantic's error types whose message we word ourselves; the others keep pydantic's.
_MESSAGES = {
    "missing": lambda e: "is required",
    "string_type": lambda e: ("is required (a string)" if e.get("input") is None
                              else f"must be a string, got {_type(e)}"),
    "string_too_short": lambda e: "must not be empty",
    "string_too_long": lambda e: (f"must be at most {e['ctx']['max_length']} characters, "
                                  f"got {len(e['input'])}"),
    "model_type": lambda e: "must be an object",
    "model_attributes_type": lambda e: "must be an object",
    "dict_type": lambda e: "must be an object",
    "list_type": lambda e: f"must be an array, got {_type(e)}",
    "int_type": lambda e: f"must be an integer, got {_type(e)}",
    "int_parsing": lambda e: f"must be an integer, got {_type(e)}",
    "int_from_float": lambda e: "must be a whole number",
    "bool_type": lambda e: f"must be true or false, got {_type(e)}",
    "too_short": lambda e: f"must hold at least {e['ctx']['min_length']} items",
    "greater_than_equal": lambda e: f"must be at least {e['ctx']['ge']}, got {e['input']!r}",
    "less_than_equal": lambda e: f"must be at most {e['ctx']['le']}, got {e['input']!r}",
}


def _type(error: ErrorDetails) -> str:
    value = error.get("input")
    return "null" if value is None else type(value).__name__


def field_path(loc: tuple) -> str:
    """``("comments", 3, "reply_to")`` as ``comments[3].reply_to``; ``()`` as ``body``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def message_of(error: ErrorDetails) -> str:
    """Our wording of one pydantic error."""
    word = _MESSAGES.get(error["type"])
    return word(error) if word else error["msg"]


def as_errors(exc: PydanticError, prefix: str = "") -> list[dict]:
    """Every error of ``exc`` as ``{"field", "message"}``, in pydantic's order."""
    out = []
    for error in exc.errors(include_url=False):
        field = field_path(error["loc"])
        if prefix:
            field = prefix if field == "body" else f"{prefix}.{field}"
        out.append({"field": field, "message": message_of(error)})
    return out
