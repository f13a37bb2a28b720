"""Stored threads: read what an analysis needs, write its result under a version check.

The service layer (``service/services/threads.py``) reads a thread's snapshot, analyses
outside any write transaction, then calls ``write_append`` or ``write_replace`` in a short
write transaction. Each write bumps ``threads.version`` only if it still holds the version
the analysis read (``VersionConflict`` otherwise, and the caller starts again), so two
writers can never both extend the same state; the comment rows and their thread's state
are written together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..vocab import LEVEL_RANK
from .errors import VersionConflict
from .models import (
    Analysis,
    AuditEntry,
    Comment,
    Thread,
    ThreadState,
    ThreadStateItem,
    iso,
    utcnow,
)

CHUNK = 500  # keys per IN (...) query: far below SQLite's limit on bound parameters


def _insert(session: Session):
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def find_thread(session: Session, platform_id: int, external_id: str) -> Thread | None:
    return session.scalar(select(Thread).where(Thread.platform_id == platform_id,
                                               Thread.external_id == external_id))


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def comments_by_id(session: Session, thread_id: int, ids: Iterable[str]) -> dict[str, Comment]:
    """The stored comments of a thread among ``ids``."""
    found: dict[str, Comment] = {}
    for part in _chunks(sorted(set(ids))):
        found.update((c.external_id, c) for c in session.scalars(
            select(Comment).where(Comment.thread_id == thread_id,
                                  Comment.external_id.in_(part))))
    return found


def all_comments(session: Session, thread_id: int) -> list[Comment]:
    return list(session.scalars(select(Comment).where(Comment.thread_id == thread_id)
                                .order_by(Comment.position)))


def predictions(session: Session, thread_id: int) -> list[dict]:
    """Every comment's stored analysis, in order (without reading the texts)."""
    rows = session.execute(select(Comment.external_id, Comment.prediction)
                           .where(Comment.thread_id == thread_id).order_by(Comment.position))
    return [{"id": cid, **prediction} for cid, prediction in rows]


def thread_state(session: Session, thread_id: int) -> ThreadState | None:
    return session.get(ThreadState, thread_id)


def state_items(session: Session, thread_id: int, keys: Iterable[str]) -> dict:
    """The stored values of ``keys`` (absent keys were never stored)."""
    found: dict = {}
    for part in _chunks(sorted(keys)):
        found.update(session.execute(select(ThreadStateItem.key, ThreadStateItem.value).where(
            ThreadStateItem.thread_id == thread_id, ThreadStateItem.key.in_(part))).all())
    return found


def latest_analysis(session: Session, thread_id: int) -> Analysis | None:
    return session.scalar(select(Analysis).where(Analysis.thread_id == thread_id)
                          .order_by(Analysis.id.desc()).limit(1))


@dataclass(frozen=True)
class NewComment:
    """A comment to store with its analysis."""

    id: str
    author: str
    text: str
    reply_to: str | None
    language_hint: str | None
    created_at: str | None
    prediction: dict  # the comment's analysis without its id


@dataclass(frozen=True)
class Written:
    """What an analysis writes: state, health and the model that made them."""

    model_version: str
    language: str | None
    scalars: dict
    items: dict  # changed items; None deletes one
    health: dict
    comment_count: int
    detected_language: str | None = None  # the comments' dominant language ("other": none
    # in French or English)


def _create(session: Session, platform_id: int, external_id: str) -> None:
    """Create the thread's row at version 0 unless it exists (safe under racing creators)."""
    now = utcnow()
    session.execute(_insert(session)(Thread).values(
        platform_id=platform_id, external_id=external_id, created_at=now,
        updated_at=now, comment_count=0, flagged=False, review_state="open", version=0,
    ).on_conflict_do_nothing(index_elements=["platform_id", "external_id"]))


def _claim(session: Session, platform_id: int, external_id: str,
           version: int | None) -> Thread:
    """The thread's row at ``version`` with its version bumped (created when ``version`` is
    None and it does not exist yet); VersionConflict when another writer got there first."""
    if version is None:
        _create(session, platform_id, external_id)
        version = 0
    done = session.execute(update(Thread).where(
        Thread.platform_id == platform_id, Thread.external_id == external_id,
        Thread.version == version).values(version=version + 1))
    if done.rowcount != 1:
        raise VersionConflict(external_id)
    return find_thread(session, platform_id, external_id)


def _store_state(session: Session, thread: Thread, written: Written, *, fresh: bool) -> None:
    insert = _insert(session)
    if fresh:
        session.execute(delete(ThreadStateItem).where(ThreadStateItem.thread_id == thread.id))
    gone = [k for k, v in written.items.items() if v is None]
    for part in _chunks(gone):
        session.execute(delete(ThreadStateItem).where(ThreadStateItem.thread_id == thread.id,
                                                      ThreadStateItem.key.in_(part)))
    rows = [{"thread_id": thread.id, "key": k, "value": v}
            for k, v in written.items.items() if v is not None]
    for part in _chunks(rows, 2000):
        statement = insert(ThreadStateItem).values(part)
        session.execute(statement.on_conflict_do_update(
            index_elements=["thread_id", "key"], set_={"value": statement.excluded.value}))
    statement = insert(ThreadState).values(thread_id=thread.id,
                                           model_version=written.model_version,
                                           language=written.language, scalars=written.scalars)
    session.execute(statement.on_conflict_do_update(
        index_elements=["thread_id"],
        set_={"model_version": statement.excluded.model_version,
              "language": statement.excluded.language,
              "scalars": statement.excluded.scalars}))


def _store_comments(session: Session, thread: Thread, start: int, comments: list[NewComment],
                    model_version: str) -> None:
    rows = [{"thread_id": thread.id, "external_id": c.id, "position": start + i,
             "author": c.author, "text": c.text, "reply_to": c.reply_to,
             "language_hint": c.language_hint, "created_at": c.created_at,
             "stored_at": utcnow(), "model_version": model_version,
             "prediction": c.prediction} for i, c in enumerate(comments)]
    for part in _chunks(rows, 1000):
        session.execute(_insert(session)(Comment), part)


# What an analysis leads to beyond the store (the moderation state machine, webhook events):
# the service layer's, called with (session, thread, health before or None, written) in
# the write transaction, so the store imports nothing above it.
Consequences = Callable[[Session, Thread, dict | None, Written], None]


def _record(session: Session, thread: Thread, written: Written,
            then: Consequences) -> Analysis:
    """The analysis row and the thread's summary; then ``then``, in this transaction."""
    health, now = written.health, utcnow()
    before = session.scalar(select(Analysis.health).where(Analysis.thread_id == thread.id)
                            .order_by(Analysis.id.desc()).limit(1))
    record = Analysis(thread_id=thread.id, model_version=written.model_version,
                      analysed_at=now, comment_count=written.comment_count,
                      score=health["score"], level=health["level"], flags=health["flags"],
                      health=health)
    session.add(record)
    thread.comment_count = written.comment_count
    thread.score, thread.level = health["score"], health["level"]
    thread.level_rank = LEVEL_RANK[health["level"]]
    thread.flagged = bool(health["flags"])
    thread.updated_at = now
    then(session, thread, before, written)
    session.flush()
    return record


def write_append(session: Session, platform_id: int, external_id: str, version: int | None,
                 comments: list[NewComment], written: Written, actor: str, *,
                 then: Consequences, rebuilt: list[dict] | None = None,
                 thread_language: str | None = None, url: str | None = None) -> Analysis:
    """Store appended comments and the state they lead to, if the thread is still at
    ``version`` (None: not stored yet). ``rebuilt`` holds every earlier comment's new
    analysis when the whole thread was analysed again (another model or language)."""
    thread = _claim(session, platform_id, external_id, version)
    start = written.comment_count - len(comments)
    if rebuilt is not None:
        for row in all_comments(session, thread.id):
            row.prediction = {k: v for k, v in rebuilt[row.position].items() if k != "id"}
            row.model_version = written.model_version
    if thread_language and not thread.language:
        thread.language = thread_language
    if url and not thread.url:
        thread.url = url
    _store_comments(session, thread, start, comments, written.model_version)
    _store_state(session, thread, written, fresh=rebuilt is not None)
    return _record(session, thread, written, then)


def write_replace(session: Session, platform_id: int, external_id: str,
                  thread_fields: dict, comments: list[NewComment], written: Written,
                  actor: str, *, then: Consequences) -> tuple[Analysis, bool]:
    """Store a whole thread in place of whatever had its id; (analysis, whether it existed).
    The row is locked first (the analysis did not depend on what was stored)."""
    existed = find_thread(session, platform_id, external_id) is not None
    if not existed:
        _create(session, platform_id, external_id)
    thread = session.scalar(select(Thread).where(Thread.platform_id == platform_id,
                                                 Thread.external_id == external_id)
                            .with_for_update().execution_options(populate_existing=True))
    thread.version += 1
    if thread.comment_count:
        session.execute(delete(Comment).where(Comment.thread_id == thread.id))
        session.add(AuditEntry(actor=actor, action="thread.replace", platform_id=platform_id,
                               target=external_id,
                               detail={"old_comments": thread.comment_count,
                                       "new_comments": len(comments)}))
    for name, value in thread_fields.items():
        setattr(thread, name, value)
    _store_comments(session, thread, 0, comments, written.model_version)
    _store_state(session, thread, written, fresh=True)
    return _record(session, thread, written, then), existed


def write_rescore(session: Session, thread_id: int, version: int, analyses: list[dict],
                  written: Written, then: Consequences) -> Analysis:
    """Store a stored thread's new analysis by another model (every comment's prediction,
    the state, the health), if the thread is still at ``version``; then ``then`` (the
    service layer makes the moderation state follow as the "system" actor's)."""
    done = session.execute(update(Thread).where(Thread.id == thread_id,
                                                Thread.version == version)
                           .values(version=version + 1))
    if done.rowcount != 1:
        raise VersionConflict(str(thread_id))
    thread = session.get(Thread, thread_id, populate_existing=True)
    for row in all_comments(session, thread.id):
        row.prediction = {k: v for k, v in analyses[row.position].items() if k != "id"}
        row.model_version = written.model_version
    _store_state(session, thread, written, fresh=True)
    return _record(session, thread, written, then)


def history(session: Session, thread: Thread, limit: int = 100) -> list[Analysis]:
    """The thread's analyses, oldest first (its score over time)."""
    rows = session.scalars(select(Analysis).where(Analysis.thread_id == thread.id)
                           .order_by(Analysis.id.desc()).limit(limit))
    return list(reversed(list(rows)))


__all__ = ["Consequences", "NewComment", "Written", "all_comments", "comments_by_id",
           "find_thread", "history", "iso", "latest_analysis", "predictions", "state_items",
           "thread_state", "write_append", "write_replace", "write_rescore"]
