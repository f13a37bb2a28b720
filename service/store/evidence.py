"""What the health's reasons rest on, as the analysis state keeps it: the positions of a
thread's questions that got no reply (``q:<author>`` items of ``nlp/thread_state.py``:
``[position, comments by others up to it, still waiting]``; a question no longer waiting
and still there was left unanswered)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import ThreadStateItem


def unanswered_positions(session: Session, thread_id: int) -> set[int]:
    """Positions (0-based, posting order) of the thread's unanswered questions."""
    rows = session.scalars(select(ThreadStateItem.value).where(
        ThreadStateItem.thread_id == thread_id, ThreadStateItem.key.startswith("q:")))
    return {q[0] for pending in rows for q in (pending or ())
            if isinstance(q, list) and len(q) == 3 and not q[2]}
