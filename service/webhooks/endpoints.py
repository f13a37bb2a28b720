"""A platform's webhook endpoints: register, list, remove, rotate the secret, enable
again, list deliveries. Every change is audited (with a fingerprint, never a secret)."""

from __future__ import annotations

import secrets as random_tokens
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..store.coral import fingerprint, new_secret
from ..store.models import (
    AuditEntry,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    iso,
    utcnow,
)
from ..validation import ValidationError
from . import EVENT_TYPES
from .addresses import Refused, check_url

MAX_ENDPOINTS = 20  # per platform
STATUSES = ("pending", "delivered", "failed")
MAX_GRACE = 7 * 24 * 3600


@dataclass(frozen=True)
class NewEndpoint:
    url: str
    events: list[str]


def parse_endpoint(data, networks: tuple) -> NewEndpoint:
    """``{url, events[]}`` checked, or ValidationError (422) naming every bad field."""
    if not isinstance(data, dict):
        raise ValidationError([{"field": "body",
                                "message": 'must be a JSON object {"url": ..., "events": [...]}'}])
    errors = []
    url = data.get("url")
    try:
        check_url(url, networks)
    except Refused as exc:
        errors.append({"field": "url", "message": str(exc)})
    events = data.get("events")
    if not isinstance(events, list) or not events:
        errors.append({"field": "events", "message": "must be a non-empty array of event "
                                                     f"types from {list(EVENT_TYPES)}"})
    else:
        for i, name in enumerate(events):
            if name not in EVENT_TYPES:
                errors.append({"field": f"events[{i}]",
                               "message": f"must be one of {list(EVENT_TYPES)}"})
            elif name in events[:i]:
                errors.append({"field": f"events[{i}]", "message": f"{name!r} is listed twice"})
    if errors:
        raise ValidationError(errors)
    return NewEndpoint(url=url, events=list(events))


def _audit(session: Session, endpoint: WebhookEndpoint, actor: str, action: str,
           **detail) -> None:
    session.add(AuditEntry(actor=actor, action=action, platform_id=endpoint.platform_id,
                           target=endpoint.public_id, detail=detail or None))


def create_endpoint(session: Session, platform_id: int, new: NewEndpoint,
                    actor: str) -> tuple[WebhookEndpoint, str]:
    """The new endpoint and its secret (the only time the secret is shown); ValidationError
    when the platform has MAX_ENDPOINTS already."""
    count = session.scalar(select(func.count(WebhookEndpoint.id))
                           .where(WebhookEndpoint.platform_id == platform_id))
    if count >= MAX_ENDPOINTS:
        raise ValidationError([{"field": "url", "message": f"this platform has {count} "
                                                           "endpoints, the most allowed; "
                                                           "remove one first"}])
    secret = new_secret()
    endpoint = WebhookEndpoint(public_id="we_" + random_tokens.token_hex(8),
                               platform_id=platform_id, url=new.url, events=new.events,
                               secret=secret, created_at=utcnow())
    session.add(endpoint)
    session.flush()
    _audit(session, endpoint, actor, "webhook.create", url=new.url, events=new.events,
           secret=fingerprint(secret))
    return endpoint, secret


def list_endpoints(session: Session, platform_id: int) -> list[WebhookEndpoint]:
    return list(session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.platform_id == platform_id).order_by(WebhookEndpoint.id)))


def find_endpoint(session: Session, platform_id: int, public_id: str, *,
                  lock: bool = False) -> WebhookEndpoint | None:
    """The platform's endpoint with this id; None for another platform's or a missing one."""
    query = select(WebhookEndpoint).where(WebhookEndpoint.platform_id == platform_id,
                                          WebhookEndpoint.public_id == public_id)
    return session.scalar(query.with_for_update() if lock else query)


def delete_endpoint(session: Session, endpoint: WebhookEndpoint, actor: str) -> None:
    """Remove the endpoint and its queue (events still queued for it are not sent)."""
    _audit(session, endpoint, actor, "webhook.delete", url=endpoint.url)
    session.execute(WebhookDelivery.__table__.delete().where(
        WebhookDelivery.endpoint_id == endpoint.id))
    session.delete(endpoint)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def valid_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The secrets that sign a delivery now: the current one, then the previous one during
    its grace period."""
    out = [endpoint.secret]
    until = _aware(endpoint.previous_until)
    if endpoint.previous_secret and until and until > now:
        out.append(endpoint.previous_secret)
    return out


def rotate_secret(session: Session, endpoint: WebhookEndpoint, grace: timedelta,
                  actor: str) -> str:
    """A new secret; deliveries are signed with the old one too for ``grace``."""
    now = utcnow()
    secret = new_secret()
    keep = grace > timedelta(0)
    endpoint.previous_secret = endpoint.secret if keep else None
    endpoint.previous_until = now + grace if keep else None
    endpoint.secret, endpoint.rotated_at = secret, now
    _audit(session, endpoint, actor, "webhook.rotate", secret=fingerprint(secret),
           grace_seconds=int(grace.total_seconds()))
    return secret


def enable(session: Session, endpoint: WebhookEndpoint, actor: str) -> int:
    """Enable a disabled endpoint; every delivery not made yet is queued again from the
    start of the retry schedule. The number queued."""
    was = endpoint.disabled_reason
    endpoint.disabled_at = endpoint.disabled_reason = None
    requeued = session.execute(update(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == endpoint.id,
        WebhookDelivery.status.in_(("pending", "failed"))).values(
        status="pending", attempts=0, next_attempt_at=utcnow(), lease_owner=None,
        lease_until=None)).rowcount
    _audit(session, endpoint, actor, "webhook.enable", was_disabled=was, requeued=requeued)
    return requeued


def describe(endpoint: WebhookEndpoint) -> dict:
    """The endpoint as the API shows it (never its secret)."""
    return {"id": endpoint.public_id, "url": endpoint.url, "events": list(endpoint.events),
            "enabled": endpoint.disabled_at is None,
            "disabled_at": iso(endpoint.disabled_at) if endpoint.disabled_at else None,
            "disabled_reason": endpoint.disabled_reason,
            "created_at": iso(endpoint.created_at),
            "secret_rotated_at": iso(endpoint.rotated_at) if endpoint.rotated_at else None,
            "previous_secret_valid_until": (
                iso(endpoint.previous_until)
                if endpoint.previous_secret and endpoint.previous_until
                and _aware(endpoint.previous_until) > utcnow() else None)}


def _when(moment: datetime | None) -> str | None:
    return iso(moment) if moment else None


def deliveries(session: Session, endpoint: WebhookEndpoint, status: str | None, limit: int,
               before: int | None) -> tuple[list[dict], int | None]:
    """The endpoint's deliveries, newest first, and the cursor of the next page."""
    query = (select(WebhookDelivery, WebhookEvent.public_id, WebhookEvent.type)
             .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
             .where(WebhookDelivery.endpoint_id == endpoint.id)
             .order_by(WebhookDelivery.id.desc()).limit(limit + 1))
    if status:
        query = query.where(WebhookDelivery.status == status)
    if before is not None:
        query = query.where(WebhookDelivery.id < before)
    rows = session.execute(query).all()
    page = rows[:limit]
    items = [{"event_id": event_id, "type": type_, "status": d.status,
              "attempts": d.attempts, "last_status": d.last_status, "last_error": d.last_error,
              "created_at": _when(d.created_at), "last_attempt_at": _when(d.last_attempt_at),
              "next_attempt_at": (_when(d.next_attempt_at) if d.status == "pending" else None),
              "delivered_at": _when(d.delivered_at)} for d, event_id, type_ in page]
    return items, (page[-1][0].id if len(rows) > limit else None)
