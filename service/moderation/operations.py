"""A moderator's actions on one thread, as the single-thread forms and the bulk form both
do them: the state before is kept (for undo), the state machine moves, the webhook event
goes out, all in the caller's transaction with the thread's row locked. Undo and reopen
move the state through ``moderation_state.save`` too, with their own audit rows."""

from __future__ import annotations

from ..services import moderation_state as machine
from ..store.models import Moderator
from ..store.moderation_tools import Assignment, last_snapshot, set_assignee, take_snapshot
from ..webhooks.events import emit_moderation


def review(db, row, actor: str) -> bool:
    take_snapshot(db, row, actor, "moderation.review")
    machine.mark_reviewed(db, row, actor)
    emit_moderation(db, row, "thread.reviewed", actor)
    return True


def escalate(db, row, actor: str, note: str | None) -> bool:
    take_snapshot(db, row, actor, "moderation.escalate")
    machine.escalate_thread(db, row, actor, note)
    emit_moderation(db, row, "thread.escalated", actor)
    return True


def dismiss(db, row, actor: str, flag: str, reason: str) -> bool:
    """False when the thread has no such active flag (nothing kept, nothing changed)."""
    state, _ = machine.load(db, row)
    if flag not in state.active():
        return False
    take_snapshot(db, row, actor, "moderation.dismiss_flag")
    machine.dismiss_flag(db, row, flag, reason, actor)
    emit_moderation(db, row, "thread.flag_dismissed", actor, flag=flag)
    return True


def assign(db, row, actor: str, moderator) -> bool:
    """False when the thread already has that assignee."""
    take_snapshot(db, row, actor, "moderation.assign")
    changed = set_assignee(db, row, moderator, actor)
    if not changed:
        db.delete(last_snapshot(db, row.id))
    return changed


def reopen(db, row, actor: str) -> bool:
    """Back to ``open``, with every active flag a moderator closed; False when the thread
    and its active flags are open already."""
    state, rows = machine.load(db, row)
    closed = {name: f for name, f in state.active().items() if f.state != "open"}
    if state.review == "open" and not closed:
        return False
    take_snapshot(db, row, actor, "moderation.reopen_by_moderator")
    flags = {**state.flags, **{name: machine.FlagState("open", True, None) for name in closed}}
    after = machine.State("open", flags, state.baseline)
    audit = machine.AuditRow(actor, "moderation.reopen_by_moderator",
                             {"previous": state.review, "flags": sorted(closed)})
    machine.save(db, row, rows, machine.Transition(actor, state, after, (audit,)))
    return True


def undo(db, row, actor: str) -> str | None:
    """Put back the state before ``actor``'s last action on the thread, when nobody acted
    after it and no new comment changed the thread since; the action undone, else None."""

    snap = last_snapshot(db, row.id)
    if snap is None or snap.actor != actor or snap.version != row.version:
        return None
    kept = snap.state
    state, rows = machine.load(db, row)
    flags = {name: machine.FlagState(*value) for name, value in kept["flags"].items()}
    baseline = machine.Snapshot(*kept["baseline"]) if kept["baseline"] else state.baseline
    audit = machine.AuditRow(actor, "moderation.undo",
                             {"action": snap.action, "thread": kept["review"]})
    machine.save(db, row, rows, machine.Transition(
        actor, state, machine.State(kept["review"], flags, baseline), (audit,)))
    row.review_reason = kept["reason"]
    current = db.get(Assignment, row.id)
    if (current.moderator_id if current else None) != kept["assignee"]:
        if current is not None:
            db.delete(current)
            db.flush()
        if kept["assignee"] is not None and db.get(Moderator, kept["assignee"]) is not None:
            db.add(Assignment(thread_id=row.id, moderator_id=kept["assignee"],
                              assigned_by=actor))
    db.delete(snap)
    return snap.action
