"""The body of a job of threads: NDJSON lines, read the same way by ``POST /v1/jobs`` and
``thread-health jobs submit``."""

from __future__ import annotations

from ..validation import ValidationError, storable


def bad(field: str, message: str, status: int = 422) -> ValidationError:
    return ValidationError([{"field": field, "message": message}], status)


def ndjson_items(data: bytes, max_lines: int) -> list[tuple[int, str, None]]:
    """(line number, line, None) of each non-blank line of an NDJSON body. The lines are
    checked when a worker analyses them, as ``thread-health analyze`` does."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad("body", f"must be UTF-8 (byte {exc.start} is not)", 400) from exc
    items = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        if not storable(line):
            raise bad(f"body line {lineno}", "contains a NUL character")
        items.append((lineno, line.rstrip("\r"), None))
        if len(items) > max_lines:
            raise bad("body", f"a job holds at most {max_lines} threads "
                               "(THREAD_HEALTH_JOB_MAX_LINES); split it")
    if not items:
        raise bad("body", "no thread: send one JSON thread per line")
    return items
