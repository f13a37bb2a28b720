"""The queue: flagged threads of the moderator's platforms, most urgent first, filtered."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import current_app, request, url_for
from werkzeug.datastructures import MultiDict

from ..store import reading
from ..store.errors import BadCursor
from ..store.listing import active_flags, list_threads
from ..store.models import FLAG_STATES
from ..store.moderation import count_threads, flag_counts
from ..vocab import FLAGS, LANGUAGES, LEVEL_RANK
from . import i18n
from .blueprint import Viewer, bp, render, viewer

CHOICES = {"flag": FLAGS, "level": tuple(LEVEL_RANK), "language": LANGUAGES,
           "state": (*FLAG_STATES, "all")}
DEFAULT_STATE = "open"


def _day(value: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(i18n.translate("filter.bad_date", value=value[:20]))
        return None


def parse_filters(args: MultiDict, who: Viewer) -> tuple[dict, dict, list[int], list[str]]:
    """(the form's values, the store's filters, platform ids, problems) from the query.

    Unknown values are ignored; a platform outside the moderator's scope matches nothing.
    """
    problems: list[str] = []
    form = {name: args.get(name, "") for name in (*CHOICES, "platform", "from", "to")}
    for name, allowed in CHOICES.items():
        if form[name] not in allowed:
            form[name] = ""
    form["state"] = form["state"] or DEFAULT_STATE
    platform_ids = who.platform_ids
    if form["platform"]:
        platform_ids = [pid for pid, name in who.platforms.items() if name == form["platform"]]
    since, until = _day(form["from"], problems), _day(form["to"], problems)
    form["from"] = since.isoformat() if since else ""
    form["to"] = until.isoformat() if until else ""
    filters = {
        "flag": form["flag"] or None, "level": form["level"] or None,
        "language": form["language"] or None,
        "review_state": None if form["state"] == "all" else form["state"],
        "since": datetime.combine(since, time(), UTC) if since else None,
        # the last day there is has no day after it: no upper bound then
        "until": (datetime.combine(until + timedelta(days=1), time(), UTC)
                  if until and until < date.max else None),
    }
    return form, filters, platform_ids, problems


def _row(thread, flags: list[str], platforms: dict[int, str]) -> dict:
    return {"id": thread.id, "external_id": thread.external_id, "title": thread.title,
            "platform": platforms[thread.platform_id], "level": thread.level,
            "score": thread.score, "flags": flags, "language": thread.thread_language,
            "comments": thread.comment_count, "state": thread.review_state,
            "updated_at": thread.updated_at}


@bp.get("/")
def queue():
    """The queue page; ``cursor`` pages through it, the other parameters filter it."""
    who = viewer()
    form, filters, platform_ids, problems = parse_filters(request.args, who)
    size = current_app.config["MODERATION_PAGE_SIZE"]
    with reading() as db:
        try:
            threads, cursor = list_threads(db, platform_ids, flagged=True, limit=size,
                                           cursor=request.args.get("cursor"), **filters)
        except BadCursor:  # a stale or edited cursor: start from the first page
            problems.append(i18n.translate("filter.bad_cursor"))
            threads, cursor = list_threads(db, platform_ids, flagged=True, limit=size,
                                           **filters)
        flags = active_flags(db, [t.id for t in threads])
        counts = flag_counts(db, platform_ids, **filters)
        total = count_threads(db, platform_ids, **filters)
    rows = [_row(t, flags[t.id], who.platforms) for t in threads]
    query = {k: v for k, v in form.items() if v and not (k == "state" and v == DEFAULT_STATE)}
    return render("queue.html", rows=rows, form=form, problems=problems, total=total,
                  counts=counts, choices=CHOICES, platforms=sorted(who.platforms.values()),
                  next_url=url_for(".queue", **query, cursor=cursor) if cursor else None,
                  first_url=url_for(".queue", **query) if request.args.get("cursor") else None,
                  here=request.full_path.rstrip("?"),
                  flag_url=lambda name: url_for(".queue", **{**query, "flag": name}))
