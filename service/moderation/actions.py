"""What a moderator does to a thread: mark reviewed, escalate, dismiss a flag, correct a
comment's label (assign, notes, undo, reopen: ``tools.py``; several threads at once:
``bulk.py``). POST only, CSRF-checked, scope-checked, each one audited with who and when
in the same transaction as the change; then back to the page (POST-redirect-GET)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext

from ..store import transaction
from ..store.models import Moderator
from ..store.moderation import FIELDS, comment_of, correct_label
from ..store.moderation import thread_in_scope as _in_scope
from ..webhooks.events import emit_moderation
from . import operations
from .blueprint import bp, safe_next, viewer
from .labels import label

MAX_NOTE = 1000


def _next() -> str | None:
    """The form's ``next`` page, checked before anything is written (None when unsafe)."""
    return safe_next(request.form.get("next"))


def _back(thread_id: int, target: str | None, anchor: str | None = None):
    if target is None:
        target = url_for(".thread", thread_id=thread_id) + (f"#{anchor}" if anchor else "")
    return redirect(target, 303)


def _locked_thread(db, thread_id: int):
    """The thread row, locked for this transaction; 404 when missing or out of scope."""
    row = _in_scope(db, thread_id, viewer().platform_ids, lock=True)
    if row is None:
        abort(404)
    return row


def _text(name: str) -> str | None:
    """A trimmed form field of at most MAX_NOTE characters, or None when too long."""
    value = request.form.get(name, "").strip()
    return value if len(value) <= MAX_NOTE else None


@bp.post("/threads/<row_id:thread_id>/review")
def review(thread_id: int):
    target = _next()
    with transaction() as db:
        operations.review(db, _locked_thread(db, thread_id), viewer().actor)
    flash(gettext("Thread marked as reviewed."), "ok")
    return _back(thread_id, target)


@bp.post("/threads/<row_id:thread_id>/escalate")
def escalate_thread(thread_id: int):
    target = _next()
    note = _text("note")
    if note is None:
        flash(gettext("The note must be at most 1,000 characters."), "error")
        return _back(thread_id, target, "actions")
    with transaction() as db:
        operations.escalate(db, _locked_thread(db, thread_id), viewer().actor, note)
    flash(gettext("Thread escalated."), "ok")
    return _back(thread_id, target)


@bp.post("/threads/<row_id:thread_id>/flags/<flag>/dismiss")
def dismiss(thread_id: int, flag: str):
    target = _next()
    reason = _text("reason")
    if not reason:
        flash(gettext("Give a reason (at most 1,000 characters) to dismiss a flag."),
              "error")
        return _back(thread_id, target, "flags")
    with transaction() as db:
        done = operations.dismiss(db, _locked_thread(db, thread_id), viewer().actor, flag,
                                  reason)
    if done:
        flash(gettext("Flag “%(flag)s” dismissed.", flag=label("flag", flag)), "ok")
    else:
        flash(gettext("This flag is no longer active on this thread."), "error")
    return _back(thread_id, target, "flags")


@bp.post("/threads/<row_id:thread_id>/comments/<row_id:comment_id>/correction")
def correct(thread_id: int, comment_id: int):
    target = _next()
    field, value = request.form.get("field", ""), request.form.get("value", "")
    if value not in FIELDS.get(field, ()):
        flash(gettext("No such label."), "error")
        return _back(thread_id, target, f"comment-{comment_id}")
    with transaction() as db:
        row = _locked_thread(db, thread_id)
        comment = comment_of(db, row, comment_id)
        if comment is None or comment.prediction is None:
            abort(404)
        moderator = db.get(Moderator, viewer().id)
        saved = correct_label(db, row, comment, field, value, moderator)
        if saved is not None:
            emit_moderation(db, row, "thread.label_corrected", viewer().actor,
                            comment_id=comment.external_id, field=field,
                            old=saved.old_value, new=saved.new_value)
    if saved is None:
        flash(gettext("That is already the label shown: nothing changed."), "info")
    else:
        flash(gettext("Correction saved: %(field)s → %(value)s.",
                      field=label("field", field), value=label(field, value)), "ok")
    return _back(thread_id, target, f"comment-{comment_id}")
