"""The queue: flagged threads of the moderator's platforms, most urgent first, filtered."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import current_app, request, url_for
from flask_babel import gettext
from sqlalchemy import and_
from werkzeug.datastructures import MultiDict

from ..store import reading
from ..store.errors import BadCursor
from ..store.listing import active_flags, list_threads
from ..store.models import FLAG_STATES
from ..store.moderation import count_threads, flag_counts
from ..store.moderation_tools import assigned_condition
from ..store.moderators import colleagues
from ..store.search import BadQuery, thread_match
from ..vocab import FLAGS, LANGUAGES, LEVEL_RANK
from .blueprint import Viewer, bp, render, viewer
from .queue_rows import page_links, queue_rows

CHOICES = {"flag": FLAGS, "level": tuple(LEVEL_RANK), "language": LANGUAGES,
           "state": (*FLAG_STATES, "all"), "assigned": ("me", "none")}
DEFAULT_STATE = "open"


def _day(value: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(gettext("Date ignored: “%(value)s” (expected YYYY-MM-DD).",
                                value=value[:20]))
        return None


def parse_filters(args: MultiDict, who: Viewer) -> tuple[dict, dict, list[int], list[str]]:
    """(the form's values, the store's filters, platform ids, problems) from the query.

    Unknown values are ignored; a platform outside the moderator's scope matches nothing.
    """
    problems: list[str] = []
    form = {name: args.get(name, "") for name in (*CHOICES, "platform", "from", "to", "q")}
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
    form["q"] = form["q"].strip()
    return form, filters, platform_ids, problems


def _search_problem(code: str, query: str) -> str:
    """Why the search was dropped (``BadQuery.code``)."""
    if code == "too_long":
        return gettext("Search ignored: “%(value)s…” is longer than 200 characters.",
                       value=query[:40])
    return gettext("Search ignored: “%(value)s” holds no word to look for.", value=query[:40])


def _match(db, form: dict, filters: dict, problems: list[str], who: Viewer) -> None:
    """The ``q`` search and the ``assigned`` filter as the store's ``match`` condition; a
    query that cannot be searched is dropped, saying why."""
    parts = []
    if form["assigned"]:
        parts.append(assigned_condition(form["assigned"], who.id))
    if form["q"]:
        try:
            parts.append(thread_match(db.get_bind().dialect.name, form["q"]))
        except BadQuery as exc:
            problems.append(_search_problem(exc.code, form["q"]))
            form["q"] = ""
    if parts:
        filters["match"] = and_(*parts)


@bp.get("/")
def queue():
    """The queue page; ``cursor`` pages through it, ``q`` searches, the other parameters
    filter it."""
    who = viewer()
    form, filters, platform_ids, problems = parse_filters(request.args, who)
    size = current_app.config["MODERATION_PAGE_SIZE"]
    cursor = request.args.get("cursor")
    with reading() as db:
        _match(db, form, filters, problems, who)
        try:
            threads, next_cursor = list_threads(db, platform_ids, flagged=True, limit=size,
                                                cursor=cursor, **filters)
        except BadCursor:  # a stale or edited cursor: start from the first page
            problems.append(gettext("The page link (cursor) was not valid: showing the first "
                                    "page."))
            cursor = None
            threads, next_cursor = list_threads(db, platform_ids, flagged=True, limit=size,
                                                **filters)
        flags = active_flags(db, [t.id for t in threads])
        counts = flag_counts(db, platform_ids, **filters)
        total = count_threads(db, platform_ids, **filters)
        rows = queue_rows(db, threads, flags, who)
        pages = page_links(db, threads, platform_ids, size, filters, bool(cursor))
        team = colleagues(db, platform_ids)
    query = {k: v for k, v in form.items() if v and not (k == "state" and v == DEFAULT_STATE)}
    pages.update(total=total, last=pages["first"] + len(rows) - 1,
                 next_url=url_for(".queue", **query, cursor=next_cursor) if next_cursor else None,
                 prev_url=(url_for(".queue", **query, **({"cursor": pages["prev_cursor"]}
                                                         if pages["prev_cursor"] else {}))
                           if pages["has_prev"] else None))
    return render("queue.html", rows=rows, form=form, problems=problems, total=total,
                  counts=counts, choices=CHOICES, platforms=sorted(who.platforms.values()),
                  pages=pages, here=request.full_path.rstrip("?"), colleagues=team,
                  refresh=current_app.config["MODERATION_QUEUE_REFRESH"],
                  flag_url=lambda name: url_for(".queue", **{**query, "flag": name}))
