"""Writing events into the outbox, in the caller's transaction.

``emit`` stores one event and a pending delivery for each of the platform's endpoints
that subscribed to its type; nothing is stored when none did. Since it runs in the
transaction of the change, the change and its event are committed together or not at all.
"""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store.models import (
    Analysis,
    Thread,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    iso,
    utcnow,
)
from ..vocab import LEVEL_RANK
from . import EVENT_TYPES

# Set after a commit that queued deliveries: this process's worker looks at once.
wake = threading.Event()


def _wake_after_commit(session: Session) -> None:
    if not session.info.get("webhooks_wake"):
        session.info["webhooks_wake"] = True
        sa_event.listen(session, "after_commit", lambda _s: wake.set(), once=True)


def emit(session: Session, platform_id: int, type_: str, payload: dict) -> str | None:
    """Queue an event for the platform's endpoints subscribed to ``type_``; its id, or
    None when no endpoint wants it. ``payload`` is the event's body without its envelope
    (id, type, created_at), which is added here."""
    if type_ not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {type_!r}")
    endpoints = [e for e in session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.platform_id == platform_id)) if type_ in e.events]
    if not endpoints:
        return None
    now = utcnow()
    public_id = "evt_" + uuid.uuid4().hex
    body = {"id": public_id, "type": type_, "created_at": iso(now), **payload}
    row = WebhookEvent(public_id=public_id, platform_id=platform_id, type=type_,
                       payload=body, created_at=now)
    session.add(row)
    session.flush()
    session.add_all(WebhookDelivery(event_id=row.id, endpoint_id=e.id, status="pending",
                                    attempts=0, next_attempt_at=now, created_at=now)
                    for e in endpoints)
    _wake_after_commit(session)
    return public_id


def _thread_part(thread: Thread, health: dict) -> dict:
    return {"id": thread.external_id, "level": health["level"], "score": health["score"],
            "flags": list(health["flags"]), "reasons": list(health["reasons"]),
            "review_state": thread.review_state}


def emit_thread_changes(session: Session, thread: Thread, before_health: dict | None,
                        after_health: dict) -> list[str]:
    """Events for a new analysis of a stored thread: ``thread.flagged`` when it gains a
    flag, ``thread.level_worsened`` when its level goes down. ``before_health`` is the
    previous analysis's health (None for the first). The ids of the events queued."""
    before_flags = set(before_health["flags"]) if before_health else set()
    raised = [f for f in after_health["flags"] if f not in before_flags]
    common = {"thread": _thread_part(thread, after_health),
              "previous": None if before_health is None else {
                  "level": before_health["level"], "score": before_health["score"],
                  "flags": list(before_health["flags"])}}
    queued = []
    if raised:
        queued.append(emit(session, thread.platform_id, "thread.flagged",
                           {**common, "flags_raised": raised}))
    if before_health is not None and (LEVEL_RANK[after_health["level"]]
                                      < LEVEL_RANK[before_health["level"]]):
        queued.append(emit(session, thread.platform_id, "thread.level_worsened", common))
    return [q for q in queued if q]


def emit_moderation(session: Session, thread: Thread, type_: str, actor: str,
                    **detail) -> str | None:
    """An event for a moderator's action on ``thread`` (after the action changed it): the
    thread as it stands, who acted, and what the action was about (``detail``)."""
    health = session.scalar(select(Analysis.health).where(Analysis.thread_id == thread.id)
                            .order_by(Analysis.id.desc()).limit(1))
    if health is None:
        return None
    payload = {"thread": _thread_part(thread, health), "actor": actor}
    if detail:
        payload["detail"] = detail
    return emit(session, thread.platform_id, type_, payload)
