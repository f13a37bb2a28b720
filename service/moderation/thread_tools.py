"""What the thread page shows of the moderators' own records: the assignee and who else
may take the thread, the notes, whether the viewer can undo, and the comments that came
after a moderator last acted on it."""

from __future__ import annotations

from ..store.moderation_tools import assignee, last_snapshot, notes_of
from ..store.moderators import colleagues
from ..store.queue_pages import last_decisions
from .blueprint import Viewer
from .queue_rows import aware


def thread_tools(db, row, who: Viewer) -> dict:
    snap = last_snapshot(db, row.id)
    undo = (snap if snap is not None and snap.actor == who.actor and snap.version == row.version
            else None)
    decided = aware(last_decisions(db, [row]).get(row.id))
    return {"assignee": assignee(db, row.id), "notes": notes_of(db, row.id),
            "colleagues": colleagues(db, [row.platform_id]), "undo": undo,
            "decided": decided,
            "new_since": decided if decided and aware(row.updated_at) > decided else None}


def is_new(comment_stored_at, decided) -> bool:
    """Whether a comment came after the last decision on its thread."""
    return decided is not None and aware(comment_stored_at) > decided
