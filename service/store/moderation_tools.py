"""The moderators' own records about a thread: who it is assigned to, their notes, and the
state before each of their actions (what "undo" puts back). Migration 0010 creates the
tables; the audit rows are written by the callers in the same transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .models import AuditEntry, Base, Comment, Flag, Moderator, Thread, utcnow

UTC_TIME = DateTime(timezone=True)
# the thread's audit rows are read by (platform, target): the log of one thread, the
# queue's "new since reviewed", undo
Index("ix_audit_log_platform_target", AuditEntry.platform_id, AuditEntry.target)
# a participant's page (``authors.py``) reads their comments by name
Index("ix_comments_author", Comment.author)


class Assignment(Base):
    """The moderator a thread is assigned to (at most one)."""

    __tablename__ = "thread_assignments"
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"),
                                           primary_key=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("moderators.id", ondelete="CASCADE"),
                                              index=True)
    assigned_by: Mapped[str] = mapped_column(String(120))
    assigned_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)


class ThreadRecord:
    """The columns of a record a moderator leaves about a thread: its own id, the thread
    (the records go when it is deleted, read by thread), and when it was written."""

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"),
                                           index=True)
    created_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)


class Note(ThreadRecord, Base):
    """A moderator's free-form note on a thread, for the other moderators."""

    __tablename__ = "thread_notes"
    author: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)


class Snapshot(ThreadRecord, Base):
    """A thread's moderation state just before a moderator's action on it."""

    __tablename__ = "moderation_snapshots"
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict] = mapped_column(JSON)


def assignee(session: Session, thread_id: int) -> tuple[str, datetime] | None:
    """(username, since) of the thread's assignee, or None."""
    row = session.execute(select(Moderator.username, Assignment.assigned_at)
                          .join(Moderator, Moderator.id == Assignment.moderator_id)
                          .where(Assignment.thread_id == thread_id)).first()
    return tuple(row) if row else None


def assignees(session: Session, thread_ids: list[int]) -> dict[int, str]:
    """Thread row id -> username of its assignee, for the threads that have one."""
    rows = session.execute(select(Assignment.thread_id, Moderator.username)
                           .join(Moderator, Moderator.id == Assignment.moderator_id)
                           .where(Assignment.thread_id.in_(thread_ids)))
    return dict(rows.all())


def assigned_condition(who: str, moderator_id: int):
    """The queue's ``assigned`` filter: ``me`` or ``none``."""
    mine = select(Assignment.thread_id)
    if who == "me":
        return Thread.id.in_(mine.where(Assignment.moderator_id == moderator_id))
    return Thread.id.not_in(mine)


def set_assignee(session: Session, thread: Thread, moderator: Moderator | None,
                 actor: str) -> bool:
    """Assign the thread to ``moderator`` (None: to nobody); False when nothing changes."""
    row = session.get(Assignment, thread.id)
    before = row.moderator_id if row else None
    after = moderator.id if moderator else None
    if before == after:
        return False
    previous = session.get(Moderator, before).username if before else None
    if row is not None:
        session.delete(row)
        session.flush()
    if moderator is not None:
        session.add(Assignment(thread_id=thread.id, moderator_id=moderator.id,
                               assigned_by=actor))
    session.add(AuditEntry(actor=actor, action="moderation.assign",
                           platform_id=thread.platform_id, target=thread.external_id,
                           detail={"to": moderator.username if moderator else None,
                                   "previous": previous}))
    return True


def add_note(session: Session, thread: Thread, username: str, text: str) -> Note:
    note = Note(thread_id=thread.id, author=username, text=text)
    session.add(note)
    session.add(AuditEntry(actor=f"moderator:{username}", action="moderation.note",
                           platform_id=thread.platform_id, target=thread.external_id,
                           detail={"note": text}))
    return note


def notes_of(session: Session, thread_id: int, limit: int = 50) -> list[Note]:
    """The thread's latest notes, newest first."""
    return list(session.scalars(select(Note).where(Note.thread_id == thread_id)
                                .order_by(Note.id.desc()).limit(limit)))


def take_snapshot(session: Session, thread: Thread, actor: str, action: str) -> None:
    """Keep the thread's moderation state as it is before ``action``."""
    flags = {f.name: [f.state, f.active, f.note] for f in session.scalars(
        select(Flag).where(Flag.thread_id == thread.id))}
    row = session.get(Assignment, thread.id)
    session.add(Snapshot(thread_id=thread.id, actor=actor, action=action,
                         version=thread.version, state={
                             "review": thread.review_state, "flags": flags,
                             "baseline": ([thread.decision_score, thread.decision_level]
                                          if thread.decision_level is not None else None),
                             "reason": thread.review_reason,
                             "assignee": row.moderator_id if row else None}))


def last_snapshot(session: Session, thread_id: int) -> Snapshot | None:
    return session.scalar(select(Snapshot).where(Snapshot.thread_id == thread_id)
                          .order_by(Snapshot.id.desc()).limit(1))
