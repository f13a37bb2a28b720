"""A thread's assignment, notes, undo and reopen. POST only, CSRF-checked like every form
of the UI, scope-checked, audited in the transaction of the change; then back to the
thread (or the form's ``next``)."""

from __future__ import annotations

from flask import flash, request
from flask_babel import gettext

from ..store import transaction
from ..store.models import Moderator
from ..store.moderation_tools import add_note
from ..store.moderators import moderator_of
from . import operations
from .actions import MAX_NOTE, _back, _locked_thread, _next
from .blueprint import bp, viewer
from .labels import label

MAX_NAME = 100


def moderator_for(db, username: str, platform_id: int) -> Moderator | None:
    """The account ``username`` when it may moderate the platform (admins may), else None
    (a name no account can have, too)."""
    if not username or len(username) > MAX_NAME:
        return None
    return moderator_of(db, username, platform_id)


def _act(thread_id: int, operation):
    """``operation(db, thread, actor)`` by the signed-in moderator on the thread, locked, in
    one transaction; what it returns."""
    with transaction() as db:
        return operation(db, _locked_thread(db, thread_id), viewer().actor)


@bp.post("/threads/<row_id:thread_id>/assign")
def assign(thread_id: int):
    """``assignee``: a username that may moderate the thread, or empty for nobody."""
    target = _next()
    name = request.form.get("assignee", "").strip()
    with transaction() as db:
        row = _locked_thread(db, thread_id)
        account = moderator_for(db, name, row.platform_id) if name else None
        if name and account is None:
            problem = gettext("Nobody by that name can moderate these threads.")
        else:
            problem = None
            changed = operations.assign(db, row, viewer().actor, account)
    if problem:
        flash(problem, "error")
    elif not changed:
        flash(gettext("That is already the label shown: nothing changed."), "info")
    else:
        flash(gettext("Thread assigned to %(name)s.", name=name) if account
              else gettext("Thread unassigned."), "ok")
    return _back(thread_id, target, "assignment")


@bp.post("/threads/<row_id:thread_id>/notes")
def note(thread_id: int):
    """``text``: 1 to 1,000 characters once trimmed."""
    target = _next()
    text = request.form.get("text", "").strip()
    if not text or len(text) > MAX_NOTE:
        flash(gettext("A note holds 1 to 1,000 characters."), "error")
        return _back(thread_id, target, "notes")
    with transaction() as db:
        add_note(db, _locked_thread(db, thread_id), viewer().username, text)
    flash(gettext("Note added."), "ok")
    return _back(thread_id, target, "notes")


@bp.post("/threads/<row_id:thread_id>/undo")
def undo(thread_id: int):
    target = _next()
    undone = _act(thread_id, operations.undo)
    if undone is None:
        flash(gettext("Nothing of yours to undo here: someone acted after you, or you have "
                      "not acted on this thread."), "error")
    else:
        flash(gettext("Undone: %(action)s.", action=label("audit", undone)), "ok")
    return _back(thread_id, target, "actions")


@bp.post("/threads/<row_id:thread_id>/reopen")
def reopen(thread_id: int):
    target = _next()
    done = _act(thread_id, operations.reopen)
    flash(gettext("Thread reopened.") if done else gettext("The thread is already open."),
          "ok" if done else "error")
    return _back(thread_id, target, "actions")
