"""The moderation state machine: how a thread's review state and its flags move, who may
move them, and what goes into the audit log (the rules are written out in
docs/moderation.md).

The rules are pure functions, ``(state, health, actor, rules) -> Transition``: the state
before, the state after, the audit rows and, for a platform's change, the reasons a thread
was reopened. The functions at the end (``record_analysis``, ``act``) load a thread's state
in the caller's transaction, call one rule and save the transition; nothing else changes a
review state or a flag's state.

Actors are ``moderator:<username>``, ``platform:<name>`` (the platform stored or appended
to the thread) and ``system`` (the service re-analysing a stored thread by itself); a
moderator acts, platforms and the system only bring new analyses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store.models import AuditEntry, Flag, Platform, Thread, utcnow
from ..vocab import CLOSED_STATES, LEVEL_RANK, REVIEW_STATES

THREAD_STATES = REVIEW_STATES
CLOSED = CLOSED_STATES  # what a moderator closed; a worse thread opens it again
DEFAULT_SCORE_DROP = 10
SCORE_DROP_SETTING = "MODERATION_REOPEN_SCORE_DROP"


def actor_kind(actor: str) -> str:
    """``moderator``, ``platform`` or ``system``; ValueError for anything else."""
    kind, _, name = actor.partition(":")
    if actor == "system" or (kind in ("moderator", "platform") and name):
        return kind
    raise ValueError(f"actor {actor!r}: expected 'moderator:<name>', 'platform:<name>' "
                     "or 'system'")


@dataclass(frozen=True)
class Rules:
    """When a platform's change reopens what a moderator closed."""

    score_drop: int = DEFAULT_SCORE_DROP  # points below the score the moderator acted on

    @classmethod
    def from_config(cls, config: Mapping) -> Rules:
        """The rules of an app's configuration; ValueError naming the setting when bad."""
        value = config.get(SCORE_DROP_SETTING, DEFAULT_SCORE_DROP)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
            raise ValueError(f"{SCORE_DROP_SETTING.lower()} = {value!r}: expected a whole "
                             "number of score points from 1 to 100")
        return cls(score_drop=value)


@dataclass(frozen=True)
class Snapshot:
    """What the rules read of a health analysis."""

    score: int
    level: str
    flags: tuple[str, ...] = ()

    @classmethod
    def of(cls, health: Mapping) -> Snapshot:
        return cls(health["score"], health["level"], tuple(sorted(health["flags"])))


@dataclass(frozen=True)
class FlagState:
    """A flag of a thread: its review state, whether the latest analysis raised it, and the
    reason it was dismissed with."""

    state: str = "open"
    active: bool = True
    note: str | None = None


@dataclass(frozen=True)
class State:
    """A thread's moderation state; ``baseline`` is the health a moderator last acted on."""

    review: str = "open"
    flags: Mapping[str, FlagState] = field(default_factory=dict)
    baseline: Snapshot | None = None

    def active(self) -> dict[str, FlagState]:
        return {name: f for name, f in self.flags.items() if f.active}


@dataclass(frozen=True)
class AuditRow:
    actor: str
    action: str
    detail: dict


@dataclass(frozen=True)
class Transition:
    """One move of the machine; saved as it is, and the one place to emit events from."""

    actor: str
    before: State
    after: State
    audit: tuple[AuditRow, ...]
    raised: tuple[str, ...] = ()
    cleared: tuple[str, ...] = ()
    reasons: tuple[dict, ...] = ()  # why a platform's or the system's change reopened

    @property
    def reopened(self) -> tuple[str, ...]:
        """The flags a moderator had closed that this transition opened again."""
        return tuple(sorted(name for name, f in self.after.flags.items()
                            if f.state == "open" and name in self.before.flags
                            and self.before.flags[name].state in CLOSED))


def _need(actor: str, *kinds: str) -> None:
    if actor_kind(actor) not in kinds:
        raise ValueError(f"{actor!r} cannot do this: only {' or '.join(kinds)} actors can")


def reopen_reasons(baseline: Snapshot | None, health: Snapshot, raised: tuple[str, ...],
                   rules: Rules) -> list[dict]:
    """Why ``health`` is worse than what a moderator accepted: a new flag, a worse level,
    or a score at least ``rules.score_drop`` points under the baseline's. Level and score
    count only while the thread has a flag (there is nothing to review otherwise)."""
    reasons: list[dict] = []
    if raised:
        reasons.append({"code": "new_flag", "flags": list(raised)})
    if baseline is None or not health.flags:
        return reasons
    if LEVEL_RANK[health.level] < LEVEL_RANK[baseline.level]:
        reasons.append({"code": "worse_level", "from": baseline.level, "to": health.level})
    if baseline.score - health.score >= rules.score_drop:
        reasons.append({"code": "score_drop", "from": baseline.score, "to": health.score,
                        "step": rules.score_drop})
    return reasons


def on_analysis(state: State, health: Snapshot, actor: str, rules: Rules) -> Transition:
    """A platform's (or the system's) new analysis of the thread.

    Flags it raises are opened and flags it no longer has are cleared. When it is worse
    than the baseline (``reopen_reasons``), every active flag a moderator closed opens
    again, without its stale dismissal reason, and a reviewed or dismissed thread goes back
    to ``open``; an escalated thread stays escalated until a moderator resolves it.
    """
    _need(actor, "platform", "system")
    flags = dict(state.flags)
    before_active = state.active()
    raised = tuple(sorted(set(health.flags) - set(before_active)))
    cleared = tuple(sorted(set(before_active) - set(health.flags)))
    for name in raised:
        flags[name] = FlagState("open", True, None)
    for name in cleared:
        flags[name] = FlagState(flags[name].state, False, flags[name].note)
    rows = []
    if raised:
        rows.append(AuditRow(actor, "moderation.flag_raised", {
            "flags": list(raised), "score": health.score, "level": health.level,
            "thread": state.review}))
    if cleared:
        rows.append(AuditRow(actor, "moderation.flag_cleared", {"flags": list(cleared)}))
    review, reasons = state.review, ()
    closed = sorted(name for name, f in flags.items() if f.active and f.state in CLOSED)
    if closed or review in CLOSED:
        reasons = tuple(reopen_reasons(state.baseline, health, raised, rules))
    if reasons:
        notes = {name: flags[name].note for name in closed if flags[name].note}
        for name in closed:
            flags[name] = FlagState("open", True, None)
        review = "open" if review in CLOSED else review
        rows.append(AuditRow(actor, "moderation.reopen", {
            "previous": state.review, "thread": review, "flags": closed,
            "reasons": list(reasons), "dismissal_notes": notes}))
    after = State(review, flags, state.baseline)
    return Transition(actor, state, after, tuple(rows), raised, cleared, reasons)


def _moderated(state: State, actor: str, health: Snapshot, review: str,
               changes: dict[str, FlagState], action: str, detail: dict) -> Transition:
    flags = {**state.flags, **changes}
    after = State(review, flags, Snapshot(health.score, health.level))
    return Transition(actor, state, after, (AuditRow(actor, action, detail),))


def review(state: State, health: Snapshot, actor: str) -> Transition:
    """A moderator marks the thread reviewed: it and its open or escalated flags (this
    resolves an escalation); dismissed flags stay dismissed."""
    _need(actor, "moderator")
    changes = {name: FlagState("reviewed", True, f.note) for name, f in state.active().items()
               if f.state in ("open", "escalated")}
    return _moderated(state, actor, health, "reviewed", changes, "moderation.review",
                      {"previous": state.review, "flags": sorted(changes)})


def escalate(state: State, health: Snapshot, actor: str, note: str | None) -> Transition:
    """A moderator hands the thread to someone with more authority; its open and reviewed
    flags follow, dismissed ones stay dismissed."""
    _need(actor, "moderator")
    changes = {name: FlagState("escalated", True, f.note) for name, f in state.active().items()
               if f.state in ("open", "reviewed")}
    return _moderated(state, actor, health, "escalated", changes, "moderation.escalate",
                      {"previous": state.review, "flags": sorted(changes),
                       "note": note or None})


def dismiss(state: State, health: Snapshot, actor: str, name: str,
            reason: str) -> Transition | None:
    """A moderator dismisses one active flag with a reason; the thread is dismissed once
    every active flag is (so dismissing the last one resolves an escalation too). None when
    the thread has no such active flag."""
    _need(actor, "moderator")
    if not reason or not reason.strip():
        raise ValueError("a flag is dismissed with a reason")
    active = state.active()
    if name not in active:
        return None
    changes = {name: FlagState("dismissed", True, reason)}
    after_active = {**active, **changes}
    thread = ("dismissed" if all(f.state == "dismissed" for f in after_active.values())
              else state.review)
    return _moderated(state, actor, health, thread, changes, "moderation.dismiss_flag",
                      {"flag": name, "reason": reason, "previous": active[name].state,
                       "thread": thread})


# -- in the database: the caller's transaction, with the thread's row locked ------------------

def load(session: Session, thread: Thread) -> tuple[State, dict[str, Flag]]:
    """The thread's state as the rules read it, and its flag rows by name."""
    rows = {f.name: f for f in session.scalars(select(Flag).where(Flag.thread_id == thread.id))}
    baseline = (Snapshot(thread.decision_score, thread.decision_level)
                if thread.decision_level is not None else None)
    flags = {name: FlagState(r.state, r.active, r.note) for name, r in rows.items()}
    return State(thread.review_state, flags, baseline), rows


def save(session: Session, thread: Thread, rows: dict[str, Flag],
         transition: Transition) -> Transition:
    """Write what ``transition`` changed and its audit rows."""
    now = utcnow()
    before, after = transition.before, transition.after
    for name, flag in after.flags.items():
        old = before.flags.get(name)
        if flag == old:
            continue
        if old is None:
            session.add(Flag(thread_id=thread.id, name=name, state=flag.state,
                             active=flag.active, note=flag.note, raised_at=now, updated_at=now))
            continue
        row = rows[name]
        if flag.active and not old.active:
            row.raised_at = now
        row.state, row.active, row.note, row.updated_at = (flag.state, flag.active, flag.note,
                                                           now)
    if after.baseline is not None and after.baseline != before.baseline:
        thread.decision_score, thread.decision_level = after.baseline.score, after.baseline.level
    thread.review_state = after.review
    if transition.reasons or actor_kind(transition.actor) == "moderator":
        thread.review_reason = {"actor": transition.actor, "reasons": list(transition.reasons)}
    for row in transition.audit:
        session.add(AuditEntry(actor=row.actor, action=row.action, platform_id=thread.platform_id,
                               target=thread.external_id, detail=row.detail))
    return transition


def record_analysis(session: Session, thread: Thread, health: dict,
                    detected_language: str | None, rules: Rules,
                    actor: str | None = None) -> Transition:
    """After a platform's write stored a new analysis of ``thread``: the thread's detected
    language (the dominant language of its comments, carried by the analysis state), then
    its flags and review state (``on_analysis``, by the running app's ``rules``, which the
    web and job code pass down). ``actor`` defaults to the thread's platform."""
    thread.detected_language = detected_language
    if actor is None:
        name = session.scalar(select(Platform.name).where(Platform.id == thread.platform_id))
        actor = f"platform:{name}"
    state, rows = load(session, thread)
    transition = on_analysis(state, Snapshot.of(health), actor, rules)
    return save(session, thread, rows, transition)


def _moderate(session: Session, thread: Thread, rule, actor: str,
              *args) -> Transition | None:
    """Apply a moderator's rule to the thread as it is now, and save it."""
    state, rows = load(session, thread)
    transition = rule(state, Snapshot(thread.score, thread.level), actor, *args)
    return None if transition is None else save(session, thread, rows, transition)


def mark_reviewed(session: Session, thread: Thread, actor: str) -> Transition:
    """A moderator's "Mark as reviewed" (``review``)."""
    return _moderate(session, thread, review, actor)


def escalate_thread(session: Session, thread: Thread, actor: str,
                    note: str | None) -> Transition:
    """A moderator's "Escalate" (``escalate``)."""
    return _moderate(session, thread, escalate, actor, note)


def dismiss_flag(session: Session, thread: Thread, name: str, reason: str,
                 actor: str) -> Transition | None:
    """A moderator's "Dismiss" of one flag (``dismiss``); None when it is not active."""
    return _moderate(session, thread, dismiss, actor, name, reason)
