"""Stored threads: replace, append (idempotent), read, list by urgency.

Every write locks the thread's row for the whole unit of work (``SELECT … FOR UPDATE`` on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), stores the comments, analyses the thread and
records the analysis in the same transaction: a thread is either stored with its analysis
or not at all, and concurrent appends to one thread queue instead of racing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..nlp.features import CommentInput
from ..services import moderation_state
from ..validation import ThreadInput, ValidationError
from ..webhooks.events import emit_thread_changes
from .models import LEVEL_RANK, Analysis, AuditEntry, Comment, Thread, iso, utcnow

# analyze(thread, known) -> analysis dict of the contract; ``known`` maps comment ids to
# their stored analyses when they were made by the model in use.
Analyzer = Callable[[ThreadInput, dict[str, dict] | None], dict]
Conflict = ValidationError


def _insert_ignore(session: Session, platform_id: int, external_id: str) -> None:
    """Create the thread row unless it exists (safe under concurrent creators)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    session.execute(insert(Thread).values(
        platform_id=platform_id, external_id=external_id, created_at=now, updated_at=now,
        comment_count=0, flagged=False, review_state="open",
    ).on_conflict_do_nothing(index_elements=["platform_id", "external_id"]))


def lock_thread(session: Session, platform_id: int, external_id: str, *,
                create: bool) -> Thread | None:
    """The thread's row, locked until the transaction ends (created first if asked)."""
    if create:
        _insert_ignore(session, platform_id, external_id)
    return session.scalar(select(Thread).where(Thread.platform_id == platform_id,
                                               Thread.external_id == external_id)
                          .with_for_update())


def find_thread(session: Session, platform_id: int, external_id: str) -> Thread | None:
    return session.scalar(select(Thread).where(Thread.platform_id == platform_id,
                                               Thread.external_id == external_id))


def _comments(session: Session, thread: Thread) -> list[Comment]:
    return list(session.scalars(select(Comment).where(Comment.thread_id == thread.id)
                                .order_by(Comment.position)))


def _as_input(row: Comment) -> CommentInput:
    return CommentInput(id=row.external_id, author=row.author, text=row.text,
                        reply_to=row.reply_to, language=row.language_hint)


def _new_row(thread: Thread, position: int, comment: CommentInput,
             created_at: str | None) -> Comment:
    return Comment(thread_id=thread.id, external_id=comment.id, position=position,
                   author=comment.author, text=comment.text, reply_to=comment.reply_to,
                   language_hint=comment.language, created_at=created_at)


def _record(session: Session, thread: Thread, rows: list[Comment], analysis: dict) -> None:
    """Store predictions, the analysis and the thread's summary; update its flags."""
    by_id = {c["id"]: c for c in analysis["comments"]}
    for row in rows:
        row.prediction = {k: v for k, v in by_id[row.external_id].items() if k != "id"}
        row.model_version = analysis["model_version"]
    health = analysis["health"]
    before = session.scalar(select(Analysis.health).where(Analysis.thread_id == thread.id)
                            .order_by(Analysis.id.desc()).limit(1))
    now = utcnow()
    session.add(Analysis(thread_id=thread.id, model_version=analysis["model_version"],
                         analysed_at=now, comment_count=len(rows), score=health["score"],
                         level=health["level"], flags=health["flags"], health=health))
    thread.comment_count = len(rows)
    thread.score, thread.level = health["score"], health["level"]
    thread.level_rank = LEVEL_RANK[health["level"]]
    thread.flagged = bool(health["flags"])
    thread.updated_at = now
    moderation_state.record_analysis(session, thread, analysis)
    emit_thread_changes(session, thread, before, health)  # webhooks, in this transaction


def _analyse(thread: Thread, rows: list[Comment], analyze: Analyzer, language: str | None,
             version: str) -> dict:
    known = {r.external_id: r.prediction for r in rows
             if r.prediction is not None and r.model_version == version}
    thread_input = ThreadInput(id=thread.external_id, language=language,
                               comments=[_as_input(r) for r in rows])
    return analyze(thread_input, known or None)


def replace_thread(session: Session, platform_id: int, thread_in: ThreadInput,
                   created_at: list[str | None], analyze: Analyzer, actor: str) -> dict:
    """Store ``thread_in`` in place of whatever had its id; return its analysis."""
    thread = lock_thread(session, platform_id, thread_in.id, create=True)
    if thread.comment_count:
        session.execute(delete(Comment).where(Comment.thread_id == thread.id))
        session.add(AuditEntry(actor=actor, action="thread.replace", platform_id=platform_id,
                               target=thread_in.id,
                               detail={"old_comments": thread.comment_count,
                                       "new_comments": len(thread_in.comments)}))
    thread.title, thread.url, thread.language = thread_in.title, thread_in.url, thread_in.language
    rows = [_new_row(thread, i, c, created_at[i]) for i, c in enumerate(thread_in.comments)]
    session.add_all(rows)
    session.flush()
    analysis = analyze(thread_in, None)
    _record(session, thread, rows, analysis)
    return latest(session, thread)


def append_comments(session: Session, platform_id: int, external_id: str,
                    comments: list[CommentInput], created_at: list[str | None],
                    language: str | None, analyze: Analyzer, version: str) -> tuple[dict, int]:
    """Append the comments not stored yet (idempotent on id); (analysis, number added)."""
    thread = lock_thread(session, platform_id, external_id, create=True)
    if language and not thread.language:
        thread.language = language
    rows = _comments(session, thread)
    stored = {r.external_id: r for r in rows}
    errors, fresh = [], []
    for i, comment in enumerate(comments):
        old = stored.get(comment.id)
        if old is not None:
            if (old.author, old.text, old.reply_to) != (comment.author, comment.text,
                                                        comment.reply_to):
                errors.append({"field": f"comments[{i}].id",
                               "message": f"comment {comment.id!r} is already stored with "
                                          "other content; use PUT to replace the thread"})
            continue
        if comment.reply_to is not None and comment.reply_to not in stored:
            errors.append({"field": f"comments[{i}].reply_to",
                           "message": "must be the id of a stored or earlier comment "
                                      "of this thread"})
            continue
        row = _new_row(thread, len(rows), comment, created_at[i])
        rows.append(row)
        stored[comment.id] = row
        fresh.append(row)
    if errors:
        status = 409 if all("already stored" in e["message"] for e in errors) else 422
        raise Conflict(errors, status=status)
    if not fresh and thread.comment_count:
        return latest(session, thread), 0
    session.add_all(fresh)
    session.flush()
    analysis = _analyse(thread, rows, analyze, thread.language, version)
    _record(session, thread, rows, analysis)
    return latest(session, thread), len(fresh)


def latest(session: Session, thread: Thread) -> dict:
    """The thread's latest analysis in the contract's shape, with when it was made."""
    record = session.scalar(select(Analysis).where(Analysis.thread_id == thread.id)
                            .order_by(Analysis.id.desc()).limit(1))
    rows = _comments(session, thread)
    return {
        "id": thread.external_id,
        "model_version": record.model_version,
        "analysed_at": iso(record.analysed_at),
        "comments": [{"id": r.external_id, **r.prediction} for r in rows],
        "health": record.health,
    }


def history(session: Session, thread: Thread, limit: int = 100) -> list[Analysis]:
    """The thread's analyses, oldest first (its score over time)."""
    rows = session.scalars(select(Analysis).where(Analysis.thread_id == thread.id)
                           .order_by(Analysis.id.desc()).limit(limit))
    return list(reversed(list(rows)))


def with_id(thread_in: ThreadInput, external_id: str) -> ThreadInput:
    return replace(thread_in, id=external_id)
