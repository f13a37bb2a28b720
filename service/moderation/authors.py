"""A participant's page: ``/moderation/authors?platform=P&name=N``. A platform outside the
moderator's scope is a 404, as for a missing thread; a missing or too long name, or a
missing platform, is a 400 page saying what was expected."""

from __future__ import annotations

from flask import request
from flask_babel import gettext

from ..store import reading
from ..store.authors import author_page
from .blueprint import bp, render, viewer

MAX_NAME = 200  # Comment.author holds at most 200 characters


@bp.get("/authors")
def author():
    who = viewer()
    platform, name = request.args.get("platform", ""), request.args.get("name", "")
    if not platform:
        return render("error.html", 400, title=gettext("Request failed"),
                      message=gettext("Expected one of your platforms."))
    if not name or len(name) > MAX_NAME:
        return render("error.html", 400, title=gettext("Request failed"),
                      message=gettext("Expected a participant name (1 to 200 characters)."))
    pid = next((p for p, n in who.platforms.items() if n == platform), None)
    if pid is None:
        return render("error.html", 404, title=gettext("Not found"),
                      message=gettext("This page does not exist or is outside your scope."))
    with reading() as db:
        page = author_page(db, pid, name)
    return render("author.html", name=name, platform=platform, page=page)
