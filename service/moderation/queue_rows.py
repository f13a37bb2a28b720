"""What each row of the queue shows beyond the thread's columns: its first reason in one
line, each flag with its figure (comments, share), whether comments came after a
moderator last acted on it; and where the page stands (previous page, first row)."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

from flask_babel import format_percent

from ..scoring.reasons import render_reason
from ..store.moderation_tools import assignees
from ..store.queue_pages import last_decisions, latest_health, previous_cursor, rows_before
from .blueprint import Viewer
from .language import current_language


def aware(moment):
    """SQLite hands back naive datetimes, which are UTC here."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def flag_figure(code: dict) -> str | None:
    """The figure a flag's chip shows: a count of comments, or a share for ``dominated``
    (as the locale writes a percentage)."""
    if "pct" in code:
        return format_percent(Decimal(code["pct"]) / 100)
    return str(code["n"]) if isinstance(code.get("n"), int) else None


def queue_rows(db, threads: list, flags: dict[int, list[str]], who: Viewer) -> list[dict]:
    healths = latest_health(db, [t.id for t in threads])
    decided = last_decisions(db, threads)
    assigned = assignees(db, [t.id for t in threads])
    language = current_language()
    rows = []
    for t in threads:
        codes = {c["code"]: c for c in healths.get(t.id, {}).get("reason_codes") or []}
        active = flags[t.id]
        first = next((codes[name] for name in active if name in codes), None)
        last = aware(decided.get(t.id))
        rows.append({
            "id": t.id, "external_id": t.external_id, "title": t.title,
            "platform": who.platforms[t.platform_id], "level": t.level, "score": t.score,
            "flags": [(name, flag_figure(codes[name]) if name in codes else None)
                      for name in active],
            "reason": render_reason(first, language) if first else None,
            "language": t.thread_language, "comments": t.comment_count,
            "state": t.review_state, "updated_at": t.updated_at,
            "new_since": last if last and aware(t.updated_at) > last else None,
            "assignee": assigned.get(t.id)})
    return rows


def page_links(db, threads: list, platform_ids: list[int], size: int, filters: dict,
               paged: bool) -> dict:
    """Where the page starts (1-based row number) and its previous page, if any."""
    if not threads or not paged:
        return {"first": 1, "has_prev": False, "prev_cursor": None}
    has_prev, cursor = previous_cursor(db, platform_ids, threads[0], size, **filters)
    return {"first": rows_before(db, platform_ids, threads[0], **filters) + 1,
            "has_prev": has_prev, "prev_cursor": cursor}
