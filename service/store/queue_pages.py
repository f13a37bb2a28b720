"""The queue's pages around the keyset cursor of ``listing.py``: the previous page's
cursor, where a page starts, and what the rows of a page show (latest reasons, the last
time a moderator acted on each thread)."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from .listing import encode_cursor, thread_conditions
from .models import Analysis, AuditEntry, Thread

# What a moderator does that counts as "reviewed" for the new-activity marker.
DECISIONS = ("moderation.review", "moderation.dismiss_flag", "moderation.escalate")


def _before(thread: Thread):
    """Rows that come before ``thread`` in the queue's order."""
    rank, score, updated, tid = (thread.level_rank, thread.score, thread.updated_at,
                                 thread.id)
    return or_(
        Thread.level_rank < rank,
        and_(Thread.level_rank == rank, Thread.score < score),
        and_(Thread.level_rank == rank, Thread.score == score, Thread.updated_at > updated),
        and_(Thread.level_rank == rank, Thread.score == score, Thread.updated_at == updated,
             Thread.id > tid))


def rows_before(session: Session, platform_ids: list[int], first: Thread, **filters) -> int:
    """How many matching threads come before ``first`` (the page starts after them)."""
    return session.scalar(select(func.count(Thread.id)).where(
        *thread_conditions(platform_ids, True, **filters), _before(first))) or 0


def previous_cursor(session: Session, platform_ids: list[int], first: Thread, size: int,
                    **filters) -> tuple[bool, str | None]:
    """(is there a previous page, its cursor); the cursor is None for the first page."""
    query = (select(Thread).where(*thread_conditions(platform_ids, True, **filters),
                                  _before(first))
             .order_by(Thread.level_rank.desc(), Thread.score.desc(), Thread.updated_at,
                       Thread.id).limit(size + 1))
    rows = list(session.scalars(query))
    if not rows:
        return False, None
    return True, (encode_cursor(rows[size]) if len(rows) > size else None)


def latest_health(session: Session, thread_ids: list[int]) -> dict[int, dict]:
    """The health of each thread's latest analysis."""
    newest = (select(func.max(Analysis.id)).where(Analysis.thread_id.in_(thread_ids))
              .group_by(Analysis.thread_id))
    rows = session.execute(select(Analysis.thread_id, Analysis.health)
                           .where(Analysis.id.in_(newest)))
    return dict(rows.all())


def last_decisions(session: Session, threads: list[Thread]) -> dict[int, object]:
    """When a moderator last reviewed, dismissed or escalated each thread (row id -> time);
    threads nobody acted on are missing."""
    if not threads:
        return {}
    keys = {(t.platform_id, t.external_id): t.id for t in threads}
    rows = session.execute(
        select(AuditEntry.platform_id, AuditEntry.target, func.max(AuditEntry.at))
        .where(AuditEntry.action.in_(DECISIONS),
               AuditEntry.platform_id.in_({t.platform_id for t in threads}),
               AuditEntry.target.in_({t.external_id for t in threads}))
        .group_by(AuditEntry.platform_id, AuditEntry.target))
    return {keys[(pid, target)]: at for pid, target, at in rows if (pid, target) in keys}
