"""Moderators' corrections in the corpus shape (data/samples/threads.jsonl), for review.

One JSON object per thread that has corrections, grouping its corrected comments in the
order they were first corrected. Choices, so that a researcher knows what each value is:

- a comment's ``labels`` holds ``act``, ``promotion`` and ``language``. The axis a
  moderator corrected carries the newest correction; an axis nobody corrected carries the
  model's prediction stored with the correction (what the moderator saw and let stand).
  ``label_sources`` says which is which ("moderator" or "model") for every axis, and
  ``corrections`` lists every change (old → new, who, when, model version);
- a label a platform's client suggested through Perspective's ``comments:suggestscore``
  (a correction with no moderator) is sourced ``client`` and its ``moderator`` is
  ``client:<platform>``; its thread id starts with ``perspective:``;
- ``reply_to`` is null: a correction keeps the comment (text, author, language), not the
  thread around it, which the platform may replace later;
- the thread's ``labels`` are ``{"health": null, "flags": null}``: moderators do not rate
  threads, so ``thread-health data check`` asks for a rating until a researcher adds one
  (and for a second comment when only one was corrected) before the file is used with
  ``thread-health train --data``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from ..store.models import Correction, iso
from ..vocab import LANGUAGES

AXES = ("act", "promotion", "language")


def _language(comments: list[dict]) -> str | None:
    """The thread's language: the most common language of its comments (fr before en)."""
    counts = {lang: sum(c["labels"]["language"] == lang for c in comments)
              for lang in LANGUAGES}
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] else None


def corpus_threads(rows: Iterable[tuple[Correction, str, str | None]],
                   exported_at: datetime) -> Iterator[dict]:
    """Threads in the corpus shape from (correction, platform name, moderator) rows, oldest
    correction first (as ``store.moderation.corrections`` returns them)."""
    threads: dict[tuple[str, str], dict[tuple[str, str], dict]] = {}
    for row, platform, moderator in rows:
        comments = threads.setdefault((platform, row.thread_external_id), {})
        key = (row.comment_external_id, row.text)
        comment = comments.get(key)
        if comment is None:
            predicted = row.predicted or {}
            comment = comments[key] = {
                "id": row.comment_external_id, "author": row.author, "text": row.text,
                "reply_to": None,
                "labels": {"act": predicted.get("act"), "promotion": predicted.get("promotion"),
                           "language": predicted.get("language") or row.language},
                "label_sources": dict.fromkeys(AXES, "model"),
                "corrections": []}
        client = row.moderator_id is None
        comment["labels"][row.field] = row.new_value
        comment["label_sources"][row.field] = "client" if client else "moderator"
        comment["corrections"].append({
            "field": row.field, "old": row.old_value, "new": row.new_value,
            "moderator": f"client:{platform}" if client else moderator,
            "at": iso(row.created_at),
            "model_version": row.model_version})
    for (platform, thread_id), by_comment in threads.items():
        comments = list(by_comment.values())
        _dedupe_ids(comments)
        yield {"id": f"moderation:{platform}:{thread_id}", "language": _language(comments),
               "source": {"kind": "moderation", "platform": platform, "thread_id": thread_id,
                          "exported_at": iso(exported_at)},
               "labels": {"health": None, "flags": None}, "comments": comments}


def _dedupe_ids(comments: list[dict]) -> None:
    """A comment id corrected under two texts (the thread was replaced) gets a suffix."""
    seen: dict[str, int] = {}
    for comment in comments:
        n = seen.get(comment["id"], 0)
        seen[comment["id"]] = n + 1
        if n:
            comment["id"] = f"{comment['id']}~{n + 1}"


def write_jsonl(threads: Iterable[dict], out) -> int:
    """Write one thread per line; the number written."""
    count = 0
    for thread in threads:
        out.write(json.dumps(thread, ensure_ascii=False) + "\n")
        count += 1
    return count
