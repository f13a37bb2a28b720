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

from .corpus import ACTS, LANGS, PROMOTION

REQUIRED = ("text", "act", "promotion", "language")
OPTIONAL = ("thread_id", "author", "reply_to", "id")


def _row_errors(row: dict, where: str) -> list[str]:
    """What is wrong with one row's labelled fields."""
    errors = []
    text = (row.get("text") or "").strip()
    if not text:
        errors.append(f"{where}: text: must not be empty")
    elif len(text) > 10_000:
        errors.append(f"{where}: text: longer than 10,000 characters")
    for name, allowed in (("act", ACTS), ("promotion", PROMOTION),
                          ("language", (*LANGS, "other"))):
        if (row.get(name) or "").strip() not in allowed:
            errors.append(f"{where}: {name}: {row.get(name)!r} is not one of {allowed}")
    return errors


def _thread_language(comments: list[dict]) -> str:
    """The most common of fr/en among the comments (ties: the first seen), else other."""
    counts = Counter(c["labels"]["language"] for c in comments
                     if c["labels"]["language"] in LANGS)
    return counts.most_common(1)[0][0] if counts else "other"


def read_csv_threads(path: Path, errors: list[str]) -> list[dict]:
    """Threads of one CSV file; every bad row is reported in ``errors`` as ``path:line``."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
        if missing:
            errors.append(f"{path}:1: missing column(s) {', '.join(missing)} (expected "
                          f"{','.join(REQUIRED)} and optionally {','.join(OPTIONAL)})")
            return []
        threads: dict[str, dict] = {}
        last_line = 1
        for row in reader:
            line, last_line = last_line + 1, reader.line_num
            where = f"{path}:{line}"
            row_errors = _row_errors(row, where)
            tid = (row.get("thread_id") or "").strip()
            cid = (row.get("id") or "").strip() or str(line)
            reply_to = (row.get("reply_to") or "").strip() or None
            thread = threads.setdefault(tid or f"{path.stem}:{line}",
                                        {"id": tid or f"{path.stem}:{line}", "comments": []})
            ids = {c["id"] for c in thread["comments"]}
            if cid in ids:
                row_errors.append(f"{where}: id: {cid!r} already used in thread {tid!r}")
            if reply_to is not None and reply_to not in ids:
                row_errors.append(f"{where}: reply_to: {reply_to!r} is not an earlier row "
                                  f"of thread {tid or '(none)'!r}")
            if row_errors:
                errors.extend(row_errors)
                continue
            thread["comments"].append({
                "id": cid, "author": (row.get("author") or "").strip() or f"row{line}",
                "text": row["text"].strip(), "reply_to": reply_to,
                "labels": {k: row[k].strip() for k in ("act", "promotion", "language")}})
    out = []
    for thread in threads.values():
        if thread["comments"]:
            thread.update(language=_thread_language(thread["comments"]),
                          labels={"health": None, "flags": []}, _file=path.name)
            out.append(thread)
    return out
