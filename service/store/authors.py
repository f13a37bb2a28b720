"""One participant (an author name) on one platform: their comments, the share the model
labelled self-promotion, and the threads they dominate (at least ``DOMINATES`` of the
comments of a thread of ``MIN_COMMENTS`` or more, as the *dominated* flag counts it)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Comment, Thread
from .moderation import predicted_label

DOMINATES = 0.6
MIN_COMMENTS = 5
RECENT = 30


def author_page(session: Session, platform_id: int, name: str) -> dict:
    """Figures and the latest comments of ``name`` on the platform."""
    mine = (select(Comment.thread_id, func.count(Comment.id).label("n"))
            .join(Thread, Thread.id == Comment.thread_id)
            .where(Thread.platform_id == platform_id, Comment.author == name)
            .group_by(Comment.thread_id).subquery())
    threads = session.execute(
        select(Thread.id, Thread.title, Thread.external_id, Thread.comment_count,
               Thread.level, mine.c.n)
        .join(mine, mine.c.thread_id == Thread.id).order_by(mine.c.n.desc(), Thread.id))
    rows = [dict(r._mapping) for r in threads]
    promo = predicted_label("promotion")
    promoted = session.scalar(
        select(func.count(Comment.id)).join(Thread, Thread.id == Comment.thread_id)
        .where(Thread.platform_id == platform_id, Comment.author == name,
               promo == "self_promotion")) or 0
    recent = session.execute(
        select(Comment.id, Comment.text, Comment.created_at, Comment.stored_at,
               Comment.thread_id, Thread.title, promo.label("promotion"))
        .join(Thread, Thread.id == Comment.thread_id)
        .where(Thread.platform_id == platform_id, Comment.author == name)
        .order_by(Comment.stored_at.desc(), Comment.id.desc()).limit(RECENT))
    total = sum(r["n"] for r in rows)
    return {"comments": total, "threads": len(rows), "promoted": promoted,
            "promo_pct": round(100 * promoted / total) if total else 0,
            "dominated": [r for r in rows if r["comment_count"] >= MIN_COMMENTS
                          and r["n"] / r["comment_count"] >= DOMINATES],
            "recent": [dict(r._mapping) for r in recent]}
