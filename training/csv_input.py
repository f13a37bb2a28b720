"""Read labelled comments from a flat CSV into corpus-shaped threads, errors by line.

Columns: ``text,act,promotion,language`` (required) and ``thread_id,author,reply_to,id``
(optional). Rows with the same ``thread_id`` form one thread, in file order; a row without
one is a thread of its own. ``reply_to`` names the ``id`` of an earlier row of the same
thread; without an ``id`` column a row's id is its line number. CSV threads carry no
health rating, so they train the comment classifiers but not the health weights.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from pydantic import ValidationError as PydanticError

from service.schemas.corpus import CsvRow
from service.schemas.errors import as_errors
from service.vocab import LANGUAGES as LANGS

REQUIRED = ("text", "act", "promotion", "language")
OPTIONAL = ("thread_id", "author", "reply_to", "id")


def _row_errors(row: dict) -> list[str]:
    """What is wrong with one row's labelled fields (``schemas.CsvRow``)."""
    try:
        CsvRow.model_validate({k: (row.get(k) or "").strip() for k in REQUIRED})
    except PydanticError as exc:
        return [f"{e['field']}: {e['message']}" for e in as_errors(exc)]
    return []


def _thread_language(comments: list[dict]) -> str:
    """The most common of fr/en among the comments (ties: the first seen), else other."""
    counts = Counter(c["labels"]["language"] for c in comments
                     if c["labels"]["language"] in LANGS)
    return counts.most_common(1)[0][0] if counts else "other"


def _as_row(values: list[str], header: list[str]) -> tuple[dict | None, str | None]:
    """The row as a dict, or why it cannot be one (more or fewer values than columns)."""
    if len(values) > len(header):
        return None, (f"{len(values)} values for {len(header)} columns (an unquoted comma in "
                      "the text? quote the field)")
    if len(values) < len(header):
        return None, (f"{len(values)} values for {len(header)} columns (missing "
                      f"{', '.join(header[len(values):])})")
    return dict(zip(header, values, strict=True)), None


def read_csv_threads(path: Path, errors: list[str]) -> list[dict]:
    """Threads of one CSV file; each bad row is reported once in ``errors`` as
    ``path:line: problem; problem``.

    A rejected row's id still counts as a row of its thread, so a later reply to it is not
    reported as a second, misleading error (after a row too malformed to know its id, no
    reply is reported as dangling); a quote left open stops the file with one error.
    """
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        try:
            header = [name.strip() for name in next(reader, [])]
        except csv.Error as exc:
            errors.append(f"{path}:1: not valid CSV ({exc})")
            return []
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            errors.append(f"{path}:1: missing column(s) {', '.join(missing)} (expected "
                          f"{','.join(REQUIRED)} and optionally {','.join(OPTIONAL)})")
            return []
        threads: dict[str, dict] = {}
        rows_seen: dict[str, set[str]] = {}  # ids of every row of a thread, kept or not
        unreadable = False  # a row whose thread and id cannot be known
        last_line = reader.line_num
        while True:
            line = last_line + 1
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                errors.append(f"{path}:{line}: not valid CSV from this row on ({exc}; a "
                              "quote opened and never closed?)")
                break
            last_line = reader.line_num
            if not values:  # a blank line
                continue
            row, shape = _as_row(values, header)
            if row is None:
                errors.append(f"{path}:{line}: {shape}")
                unreadable = True
                continue
            problems = _row_errors(row)
            tid = (row.get("thread_id") or "").strip()
            key = tid or f"{path.stem}:{line}"
            cid = (row.get("id") or "").strip() or str(line)
            reply_to = (row.get("reply_to") or "").strip() or None
            seen = rows_seen.setdefault(key, set())
            if cid in seen:
                problems.append(f"id: {cid!r} already used in thread {tid!r}")
            if reply_to is not None and reply_to not in seen and not unreadable:
                problems.append(f"reply_to: {reply_to!r} is not an earlier row of thread "
                                f"{tid or '(none)'!r}")
            seen.add(cid)
            if problems:
                errors.append(f"{path}:{line}: " + "; ".join(problems))
                continue
            thread = threads.setdefault(key, {"id": key, "comments": []})
            thread["comments"].append({
                "id": cid, "author": (row.get("author") or "").strip() or f"row{line}",
                "text": row["text"].strip(), "reply_to": reply_to,
                "labels": {k: row[k].strip() for k in ("act", "promotion", "language")}})
    out = []
    for thread in threads.values():
        thread.update(language=_thread_language(thread["comments"]),
                      labels={"health": None, "flags": []}, _file=path.name)
        out.append(thread)
    return out
