"""Moderation in the store: scope, queue counts, a thread's flags and log, corrections.

Review states and flag states move only through ``service/services/moderation_state.py``.
A correction writes its ``AuditEntry`` in the caller's transaction, so it is either
recorded with who and when, or not done at all.
"""

from __future__ import annotations

from collections import namedtuple
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ..vocab import LABELS
from .listing import thread_conditions
from .models import (
    AuditEntry,
    Comment,
    Correction,
    Flag,
    Moderator,
    Platform,
    Thread,
)

FIELDS = LABELS


def visible_platforms(session: Session, moderator: Moderator) -> list[Platform]:
    """The platforms a moderator may see: all for an admin, else their own; by name."""
    if moderator.is_admin:
        return list(session.scalars(select(Platform).order_by(Platform.name)))
    return sorted(moderator.platforms, key=lambda p: p.name)


def thread_in_scope(session: Session, thread_id: int, platform_ids: list[int], *,
                    lock: bool = False) -> Thread | None:
    """The analysed thread with this row id if its platform is in scope, else None."""
    query = select(Thread).where(Thread.id == thread_id, Thread.platform_id.in_(platform_ids),
                                 Thread.level_rank.is_not(None))
    return session.scalar(query.with_for_update() if lock else query)


def count_threads(session: Session, platform_ids: list[int], **filters) -> int:
    """How many flagged threads match the queue's filters."""
    return session.scalar(select(func.count(Thread.id)).where(
        *thread_conditions(platform_ids, True, **filters))) or 0


def flag_counts(session: Session, platform_ids: list[int], **filters) -> dict[str, int]:
    """Threads per active flag among the flagged threads matching the other filters."""
    filters.pop("flag", None)
    matching = select(Thread.id).where(*thread_conditions(platform_ids, True, **filters))
    rows = session.execute(select(Flag.name, func.count(Flag.id)).where(
        Flag.active.is_(True), Flag.thread_id.in_(matching)).group_by(Flag.name))
    return dict(rows.all())


def thread_flags(session: Session, thread: Thread) -> list[Flag]:
    """The thread's active flags, by name."""
    return list(session.scalars(select(Flag).where(Flag.thread_id == thread.id,
                                                   Flag.active.is_(True)).order_by(Flag.name)))


CommentLine = namedtuple("CommentLine", "row_id external_id reply_to author act promotion")


def predicted_label(field: str):
    """The model's ``field`` label ("act", "promotion") of a comment, as a SQL expression
    read inside the database. One JSON path: a chained ``["act"]["label"]`` makes SQLite
    extract the nested object, quote it back to JSON and parse it again for every row."""
    return Comment.prediction[(field, "label")].as_string()


def comment_outline(session: Session, thread: Thread) -> list[CommentLine]:
    """Every comment of the thread in posting order, without its text, with the model's
    two labels read inside the database: enough to order, filter and page a long thread
    (plain tuples, no ORM objects, since a thread may hold thousands)."""
    query = (select(Comment.id.label("row_id"), Comment.external_id, Comment.reply_to,
                    Comment.author,
                    predicted_label("act").label("act"),
                    predicted_label("promotion").label("promotion"))
             .where(Comment.thread_id == thread.id).order_by(Comment.position))
    return [CommentLine(*row) for row in session.connection().execute(query)]


def comments_by_row_id(session: Session, thread: Thread, row_ids: list[int]) -> dict[int, Comment]:
    """The thread's full comment rows with these row ids."""
    rows = session.scalars(select(Comment).where(Comment.thread_id == thread.id,
                                                 Comment.id.in_(row_ids)))
    return {row.id: row for row in rows}


def comment_of(session: Session, thread: Thread, comment_id: int) -> Comment | None:
    """Comment row ``comment_id`` when it belongs to ``thread``, else None."""
    return session.scalar(select(Comment).where(Comment.id == comment_id,
                                                Comment.thread_id == thread.id))


def audit_trail(session: Session, thread: Thread, limit: int = 20) -> list[AuditEntry]:
    """The latest audit entries about a thread, newest first."""
    return list(session.scalars(select(AuditEntry).where(
        AuditEntry.platform_id == thread.platform_id, AuditEntry.target == thread.external_id)
        .order_by(AuditEntry.id.desc()).limit(limit)))


def latest_corrections(session: Session, thread: Thread, external_ids: list[str] | None = None
                       ) -> dict[str, dict[str, Correction]]:
    """Per comment id (all, or those of ``external_ids``), the newest correction of each
    field, for comments whose text is unchanged since they were corrected."""
    unchanged = and_(Comment.thread_id == thread.id,
                     Comment.external_id == Correction.comment_external_id,
                     Comment.text == Correction.text)
    query = (select(Correction).join(Comment, unchanged)
             .where(Correction.platform_id == thread.platform_id,
                    Correction.thread_external_id == thread.external_id)
             .order_by(Correction.id))
    if external_ids is not None:
        query = query.where(Correction.comment_external_id.in_(external_ids))
    out: dict[str, dict[str, Correction]] = {}
    for row in session.scalars(query):
        out.setdefault(row.comment_external_id, {})[row.field] = row
    return out


def _audit(session: Session, thread: Thread, actor: str, action: str, **detail) -> None:
    session.add(AuditEntry(actor=actor, action=action, platform_id=thread.platform_id,
                           target=thread.external_id, detail=detail or None))


def model_labels(comment: Comment) -> dict[str, str]:
    """The model's labels of a stored comment: act, promotion, language."""
    prediction = comment.prediction or {}
    return {"act": prediction.get("act", {}).get("label"),
            "promotion": prediction.get("promotion", {}).get("label"),
            "language": prediction.get("language")}


def correct_label(session: Session, thread: Thread, comment: Comment, field: str,
                  value: str, moderator: Moderator) -> Correction | None:
    """Record a moderator's label for one comment; None when it equals the label shown."""
    if value not in FIELDS.get(field, ()):
        raise ValueError(f"{field}={value!r} is not a label")
    predicted = model_labels(comment)
    previous = latest_corrections(session, thread, [comment.external_id]).get(
        comment.external_id, {})
    old = previous[field].new_value if field in previous else predicted[field]
    if old == value:
        return None
    row = Correction(platform_id=thread.platform_id, thread_external_id=thread.external_id,
                     comment_external_id=comment.external_id, author=comment.author,
                     text=comment.text, language=predicted["language"], field=field,
                     old_value=old, new_value=value, model_version=comment.model_version,
                     predicted=predicted, moderator_id=moderator.id)
    session.add(row)
    _audit(session, thread, f"moderator:{moderator.username}", "moderation.correct",
           comment=comment.external_id, field=field, old=old, new=value)
    return row


def corrections(session: Session, since: datetime | None = None,
                platform: str | None = None) -> list[tuple[Correction, str, str | None]]:
    """Corrections with their platform's name and moderator's username, oldest first."""
    query = (select(Correction, Platform.name, Moderator.username)
             .join(Platform, Platform.id == Correction.platform_id)
             .outerjoin(Moderator, Moderator.id == Correction.moderator_id)
             .order_by(Correction.id))
    if since is not None:
        query = query.where(Correction.created_at >= since)
    if platform:
        query = query.where(Platform.name == platform)
    return [tuple(row) for row in session.execute(query)]
