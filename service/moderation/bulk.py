"""Several threads at once from the queue: mark reviewed, escalate, dismiss one flag with
a reason, assign. One transaction: every selected thread in the moderator's scope gets the
action (each with its own audit row and state kept for undo), or none does. Threads out
of scope, or without the flag to dismiss, are left as they are and counted."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext, ngettext

from ..scoring.health import FLAGS
from ..store import transaction
from ..store.moderation import thread_in_scope
from . import operations
from .actions import MAX_NOTE
from .blueprint import bp, safe_next, viewer
from .tools import moderator_for

ACTIONS = ("review", "escalate", "dismiss", "assign")
MAX_THREADS = 100


def thread_ids(values: list[str]) -> list[int] | None:
    """The selected row ids (each once, in order), or None when one is not a row id or
    there are more than ``MAX_THREADS``."""
    out: list[int] = []
    for value in values:
        if not (value.isascii() and value.isdigit() and 0 < int(value[:20]) < 2**63):
            return None
        if int(value) not in out:
            out.append(int(value))
    return out if len(out) <= MAX_THREADS else None


def _problem(form) -> str | None:
    """What is wrong with the form, said in the UI's language, or None."""
    action = form.get("action", "")
    if action not in ACTIONS:
        return gettext("Unknown action: expected review, escalate, dismiss or assign.")
    ids = thread_ids(form.getlist("thread"))
    if ids is None:
        return gettext("The selected threads were not valid thread ids (at most 100).")
    if not ids:
        return gettext("Select at least one thread (the boxes of the first column).")
    if action == "dismiss":
        if form.get("flag", "") not in FLAGS:
            return gettext("Choose the flag to dismiss.")
        reason = form.get("reason", "").strip()
        if not reason or len(reason) > MAX_NOTE:
            return gettext("Give a reason (at most 1,000 characters) to dismiss a flag.")
    if action == "escalate" and len(form.get("note", "").strip()) > MAX_NOTE:
        return gettext("The note must be at most 1,000 characters.")
    return None


def _apply(db, row, action: str, form) -> bool:
    actor = viewer().actor
    if action == "review":
        return operations.review(db, row, actor)
    if action == "escalate":
        return operations.escalate(db, row, actor, form.get("note", "").strip() or None)
    if action == "dismiss":
        return operations.dismiss(db, row, actor, form["flag"], form["reason"].strip())
    name = form.get("assignee", "").strip()
    account = moderator_for(db, name, row.platform_id) if name else None
    if name and account is None:
        return False
    operations.assign(db, row, actor, account)
    return True


def _done(action: str, n: int) -> str:
    """What a bulk action did, agreeing in number with ``n``."""
    if action == "review":
        return ngettext("Marked reviewed: %(num)d thread.", "Marked reviewed: %(num)d threads.",
                        n)
    if action == "escalate":
        return ngettext("Escalated: %(num)d thread.", "Escalated: %(num)d threads.", n)
    if action == "dismiss":
        return ngettext("Flag dismissed: %(num)d thread.", "Flag dismissed: %(num)d threads.",
                        n)
    return ngettext("Assigned: %(num)d thread.", "Assigned: %(num)d threads.", n)


@bp.post("/bulk")
def bulk():
    """``action``, ``thread`` (repeated row ids), and ``flag`` + ``reason`` (dismiss),
    ``note`` (escalate), ``assignee`` (assign: a username, empty for nobody)."""
    target = safe_next(request.form.get("next")) or url_for(".queue")
    form = request.form
    problem = _problem(form)
    if problem:
        flash(problem, "error")
        return redirect(target, 303)
    action, done, skipped = form["action"], 0, 0
    with transaction() as db:
        for tid in thread_ids(form.getlist("thread")):
            row = thread_in_scope(db, tid, viewer().platform_ids, lock=True)
            if row is not None and _apply(db, row, action, form):
                done += 1
            else:
                skipped += 1
    flash(_done(action, done), "ok")
    if skipped:
        flash(ngettext("%(num)d thread was left as it was (no longer in your queue or without "
                       "that flag).", "%(num)d threads were left as they were (no longer in "
                       "your queue or without that flag).", skipped), "info")
    return redirect(target, 303)
