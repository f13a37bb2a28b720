"""A platform's threads, most urgent first, with keyset (cursor) pagination.

Order: level (unhealthy, at risk, healthy), then score (lowest first), then the most
recently updated, then id; the cursor carries the last row's sort key, so pages stay
stable while threads are being added.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from .errors import BadCursor
from .models import Flag, Thread, iso

BIGINT = range(-(2**63), 2**63)  # what SQLite's INTEGER and PostgreSQL's BIGINT can hold


def encode_cursor(thread: Thread) -> str:
    key = [thread.level_rank, thread.score, iso(thread.updated_at), thread.id]
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int, datetime, int]:
    """The sort key inside a cursor; BadCursor (field ``cursor``) when malformed."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        rank, score, updated, tid = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not all(isinstance(v, int) and v in BIGINT for v in (rank, score, tid)):
            raise ValueError("not integers a database column can hold")
        moment = datetime.fromisoformat(updated.replace("Z", "+00:00"))
    except (ValueError, TypeError, binascii.Error, AttributeError, RecursionError) as exc:
        raise BadCursor([{"field": "cursor", "message": "is not a cursor returned by "
                                                      "this endpoint"}]) from exc
    return rank, score, moment, tid


def thread_conditions(platform_ids: list[int], flagged: bool | None, **filters) -> list:
    """The WHERE conditions of a listing (shared with the moderators' counts).

    ``filters`` may hold ``level``, ``language``, ``review_state``, ``flag`` (a flag name
    that is active on the thread), ``since`` and ``until`` (aware datetimes bounding
    ``updated_at``, ``until`` excluded) and ``match`` (a condition of ``store/search.py``),
    used by the moderators' queue.
    """
    conditions = [Thread.platform_id.in_(platform_ids), Thread.level_rank.is_not(None)]
    if flagged is not None:
        conditions.append(Thread.flagged.is_(flagged))
    for name in ("level", "review_state"):
        if filters.get(name):
            conditions.append(getattr(Thread, name) == filters[name])
    if filters.get("language"):  # the client's hint, else the comments' dominant language
        conditions.append(Thread.thread_language == filters["language"])
    if filters.get("flag"):
        conditions.append(Thread.id.in_(select(Flag.thread_id).where(
            Flag.name == filters["flag"], Flag.active.is_(True))))
    if filters.get("since"):
        conditions.append(Thread.updated_at >= filters["since"])
    if filters.get("until"):
        conditions.append(Thread.updated_at < filters["until"])
    if filters.get("match") is not None:  # a search (``store/search.py``)
        conditions.append(filters["match"])
    return conditions


def list_threads(session: Session, platform_ids: list[int], *, flagged: bool | None,
                 limit: int, cursor: str | None = None, **filters) -> tuple[list[Thread],
                                                                            str | None]:
    """One page of threads and the cursor of the next page (None at the end); ``filters``
    as in ``thread_conditions``."""
    query = select(Thread).where(*thread_conditions(platform_ids, flagged, **filters))
    if cursor:
        rank, score, updated, tid = decode_cursor(cursor)
        query = query.where(or_(
            Thread.level_rank > rank,
            and_(Thread.level_rank == rank, Thread.score > score),
            and_(Thread.level_rank == rank, Thread.score == score, Thread.updated_at < updated),
            and_(Thread.level_rank == rank, Thread.score == score, Thread.updated_at == updated,
                 Thread.id < tid),
        ))
    query = query.order_by(Thread.level_rank, Thread.score, Thread.updated_at.desc(),
                           Thread.id.desc()).limit(limit + 1)
    rows = list(session.scalars(query))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(rows[-1]) if more and rows else None)


def active_flags(session: Session, thread_ids: list[int]) -> dict[int, list[str]]:
    """The active flag names of each thread, sorted."""
    out: dict[int, list[str]] = {tid: [] for tid in thread_ids}
    rows = session.execute(select(Flag.thread_id, Flag.name).where(
        Flag.thread_id.in_(thread_ids), Flag.active.is_(True)).order_by(Flag.name))
    for tid, name in rows:
        out[tid].append(name)
    return out
