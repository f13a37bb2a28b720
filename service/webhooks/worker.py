"""The delivery worker: claim due deliveries, send them, record the outcome.

A claim marks a few due deliveries with a lease (this worker's token and an expiry) in one
short write transaction: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, the SQLite write lock
taken at ``BEGIN IMMEDIATE`` on SQLite, so two workers (gunicorn workers, or the standalone
``thread-health webhooks worker``) never claim the same row. The HTTP call happens outside
any transaction. A worker killed mid-way leaves leases that expire, and the deliveries are
sent again: at least once, never lost. Failures are retried with exponential backoff and
jitter; after ``max_attempts`` the endpoint is disabled, with the reason, and its queue
waits until it is enabled again. Finished deliveries (delivered or failed) and the events
left without deliveries are deleted after ``retention_days``, once an hour per worker.
"""

from __future__ import annotations

import json
import logging
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from ..background import BackgroundLoop
from ..store.models import WebhookDelivery, WebhookEndpoint, WebhookEvent, utcnow
from ..version import __version__
from .endpoints import valid_secrets
from .events import wake
from .sender import Outcome, post
from .settings import WebhookSettings
from .signing import HEADER, signature_header

log = logging.getLogger("thread_health.webhooks")


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    attempts: int
    url: str
    secrets: list[str]
    event_id: str
    type: str
    body: bytes


def backoff(attempts: int, settings: WebhookSettings, rng=random) -> float:
    """Seconds before the next try after ``attempts`` failed ones: doubling from the base,
    capped at the maximum, a random half of it taken off (jitter spreads the retries)."""
    delay = min(settings.retry_max, settings.retry_base * 2 ** min(attempts - 1, 40))
    return delay / 2 + rng.uniform(0, delay / 2)


def claim(session: Session, owner: str, settings: WebhookSettings) -> list[Claimed]:
    """Lease up to ``settings.batch`` due deliveries of enabled endpoints to ``owner``."""
    now = utcnow()
    due = (select(WebhookDelivery.id)
           .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
           .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now,
                  or_(WebhookDelivery.lease_until.is_(None), WebhookDelivery.lease_until < now),
                  WebhookEndpoint.disabled_at.is_(None))
           .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
           .limit(settings.batch))
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(of=WebhookDelivery, skip_locked=True)
    until = now + timedelta(seconds=settings.lease)
    session.execute(update(WebhookDelivery).where(WebhookDelivery.id.in_(due.scalar_subquery()))
                    .values(lease_owner=owner, lease_until=until)
                    .execution_options(synchronize_session=False))
    rows = session.execute(
        select(WebhookDelivery.id, WebhookDelivery.attempts, WebhookEndpoint, WebhookEvent)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.lease_owner == owner, WebhookDelivery.lease_until == until,
               WebhookDelivery.status == "pending")
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)).all()
    return [Claimed(delivery_id=d_id, attempts=attempts, url=endpoint.url,
                    secrets=valid_secrets(endpoint, now), event_id=event.public_id,
                    type=event.type, body=json.dumps(event.payload, ensure_ascii=False,
                                                     separators=(",", ":")).encode("utf-8"))
            for d_id, attempts, endpoint, event in rows]


def headers(item: Claimed, timestamp: int) -> dict[str, str]:
    return {"Content-Type": "application/json",
            "User-Agent": f"thread-health-webhooks/{__version__}",
            "X-Thread-Health-Event-Id": item.event_id,
            "X-Thread-Health-Event-Type": item.type,
            HEADER: signature_header(item.secrets, timestamp, item.body)}


def _disable_reason(item: Claimed, attempts: int, first: datetime | None, now: datetime,
                    outcome: Outcome) -> str:
    since = f" since {first.isoformat(timespec='seconds')}" if first else ""
    return (f"{attempts} failed attempts to deliver {item.event_id} ({item.type}){since}; "
            f"last error: {outcome.error}")


def record(session: Session, item: Claimed, owner: str, outcome: Outcome,
           settings: WebhookSettings, rng=random) -> None:
    """Store the attempt's outcome, if the lease is still ours (else another worker took
    the delivery over after our lease ran out, and its outcome is the one kept)."""
    now = utcnow()
    mine = (WebhookDelivery.id == item.delivery_id, WebhookDelivery.lease_owner == owner,
            WebhookDelivery.status == "pending")
    attempts = item.attempts + 1
    common = {"attempts": attempts, "last_attempt_at": now, "last_status": outcome.status,
              "lease_owner": None, "lease_until": None}
    if outcome.ok:
        session.execute(update(WebhookDelivery).where(*mine).values(
            status="delivered", delivered_at=now, last_error=None, next_attempt_at=None,
            **common))
        return
    if attempts < settings.max_attempts:
        retry = now + timedelta(seconds=backoff(attempts, settings, rng))
        session.execute(update(WebhookDelivery).where(*mine).values(
            last_error=outcome.error, next_attempt_at=retry, **common))
        return
    done = session.execute(update(WebhookDelivery).where(*mine).values(
        status="failed", last_error=outcome.error, next_attempt_at=None, **common)).rowcount
    if done:
        delivery = session.get(WebhookDelivery, item.delivery_id)
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_id, with_for_update=True)
        if endpoint.disabled_at is None:
            endpoint.disabled_at = now
            endpoint.disabled_reason = _disable_reason(item, attempts, delivery.created_at,
                                                       now, outcome)
            log.warning("webhook endpoint %s disabled: %s", endpoint.public_id,
                        endpoint.disabled_reason)


def prune(session: Session, settings: WebhookSettings, now: datetime | None = None) -> int:
    """Delete deliveries finished more than ``retention_days`` ago, then the events older
    than that with no delivery left (pending ones are never touched); how many rows went."""
    cutoff = (now or utcnow()) - timedelta(days=settings.retention_days)
    finished = or_(
        and_(WebhookDelivery.status == "delivered", WebhookDelivery.delivered_at < cutoff),
        and_(WebhookDelivery.status == "failed", WebhookDelivery.last_attempt_at < cutoff))
    gone = session.execute(delete(WebhookDelivery).where(finished)
                           .execution_options(synchronize_session=False)).rowcount
    orphan = ~exists().where(WebhookDelivery.event_id == WebhookEvent.id)
    gone += session.execute(delete(WebhookEvent).where(WebhookEvent.created_at < cutoff, orphan)
                            .execution_options(synchronize_session=False)).rowcount
    return gone


PRUNE_EVERY = timedelta(hours=1)


class Worker(BackgroundLoop):
    """Sends due deliveries until stopped; one per process is enough."""

    name = "webhooks"

    def __init__(self, sessions: sessionmaker, settings: WebhookSettings,
                 readers: sessionmaker | None = None):
        super().__init__(wake)
        self.sessions = sessions
        self.readers = readers or sessions  # on SQLite, reads that take no write lock
        self.settings = settings
        self.owner = uuid.uuid4().hex
        self.pruned_at: datetime | None = None

    def due(self) -> bool:
        """Whether anything may be due (a cheap read before taking a write lock)."""
        now = utcnow()
        with self.readers() as session:
            return session.scalar(select(WebhookDelivery.id).where(
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at <= now).limit(1)) is not None

    def run_once(self) -> int:
        """Claim one batch and send it; how many attempts were made."""
        if not self.due():
            return 0
        with self.sessions.begin() as session:
            batch = claim(session, self.owner, self.settings)
        for item in batch:
            timestamp = int(utcnow().timestamp())
            outcome = post(item.url, item.body, headers(item, timestamp),
                           self.settings.allowed_networks, self.settings.timeout)
            if not outcome.ok:
                log.info("webhook %s to %s failed: %s", item.event_id, item.url, outcome.error)
            with self.sessions.begin() as session:
                record(session, item, self.owner, outcome, self.settings)
        return len(batch)

    def prune_if_due(self) -> int:
        """``prune`` at most once per ``PRUNE_EVERY`` in this worker; rows deleted."""
        now = utcnow()
        if self.pruned_at is not None and now - self.pruned_at < PRUNE_EVERY:
            return 0
        self.pruned_at = now
        with self.sessions.begin() as session:
            gone = prune(session, self.settings, now)
        if gone:
            log.info("webhooks: %d finished deliveries and events older than %d days deleted",
                     gone, self.settings.retention_days)
        return gone

    def run(self) -> None:
        """Loop until ``stop``: send what is due, then wait for the poll interval or for
        an event queued by this process."""
        while not self.stopping.is_set():
            try:
                self.prune_if_due()
                sent = self.run_once()
            except Exception:  # a database hiccup must not end the loop; retried next poll
                log.exception("webhook worker: a round failed")
                sent = 0
            if not sent:
                self.idle(self.settings.poll)
