"""Coral external moderation phases: per-platform signing secrets, created and rotated.

A secret is 256 random bits, shown once by the CLI. HMAC verification needs the secret
itself, so it is kept as is in the database (see docs/coral.md for why and how it is
protected); rotation keeps the previous secret valid for a grace period so Coral can be
switched over without refused calls.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .keys import get_or_create_platform
from .models import AuditEntry, Comment, CoralPhase, Platform, Thread, utcnow

SECRET_PREFIX = "whsec_"  # noqa: S105  (a prefix, not a secret)


@dataclass(frozen=True)
class PhaseConfig:
    """What a phase call needs: the platform, the secrets that sign, the threshold."""

    platform_id: int
    platform: str
    secrets: tuple[str, ...]
    threshold: float | None


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def fingerprint(secret: str) -> str:
    """A short digest to name a secret in the audit log without revealing it."""
    return hashlib.sha256(secret.encode()).hexdigest()[:12]


def _phase(session: Session, platform_name: str) -> CoralPhase | None:
    return session.scalar(select(CoralPhase).join(Platform, Platform.id == CoralPhase.platform_id)
                          .where(Platform.name == platform_name))


def create_secret(session: Session, platform_name: str, threshold: float | None = None,
                  actor: str = "cli") -> str | None:
    """The new phase's secret (the platform is created if new); None when it has one."""
    platform = get_or_create_platform(session, platform_name)
    if session.scalar(select(CoralPhase).where(CoralPhase.platform_id == platform.id)):
        return None
    secret = new_secret()
    session.add(CoralPhase(platform_id=platform.id, secret=secret, threshold=threshold))
    session.add(AuditEntry(actor=actor, action="coral.secret.create", platform_id=platform.id,
                           target=fingerprint(secret)))
    return secret


def rotate_secret(session: Session, platform_name: str, grace: timedelta,
                  actor: str = "cli") -> str | None:
    """A new secret; the old one stays valid for ``grace``. None when there is no phase."""
    phase = _phase(session, platform_name)
    if phase is None:
        return None
    now = utcnow()
    secret = new_secret()
    phase.previous_secret = phase.secret if grace > timedelta(0) else None
    phase.previous_until = now + grace if grace > timedelta(0) else None
    phase.secret, phase.rotated_at = secret, now
    session.add(AuditEntry(actor=actor, action="coral.secret.rotate",
                           platform_id=phase.platform_id, target=fingerprint(secret),
                           detail={"grace_seconds": int(grace.total_seconds())}))
    return secret


def set_secret(session: Session, platform_name: str, secret: str, grace: timedelta,
               actor: str = "cli") -> None:
    """Store a secret generated elsewhere (Coral's own); the phase is created if new, and a
    secret it replaces stays valid for ``grace``."""
    platform = get_or_create_platform(session, platform_name)
    phase = session.scalar(select(CoralPhase).where(CoralPhase.platform_id == platform.id))
    now = utcnow()
    if phase is None:
        session.add(CoralPhase(platform_id=platform.id, secret=secret))
    else:
        keep = grace > timedelta(0)
        phase.previous_secret = phase.secret if keep else None
        phase.previous_until = now + grace if keep else None
        phase.secret, phase.rotated_at = secret, now
    session.add(AuditEntry(actor=actor, action="coral.secret.set", platform_id=platform.id,
                           target=fingerprint(secret)))


def set_threshold(session: Session, platform_name: str, threshold: float | None,
                  actor: str = "cli") -> bool:
    """The platform's FLAG threshold (None: the model's); False when there is no phase."""
    phase = _phase(session, platform_name)
    if phase is None:
        return False
    phase.threshold = threshold
    session.add(AuditEntry(actor=actor, action="coral.threshold", platform_id=phase.platform_id,
                           target=platform_name, detail={"threshold": threshold}))
    return True


# Built once: it runs on every phase call (one indexed query, no ORM objects).
_PHASE = (select(Platform.id, Platform.name, CoralPhase.secret, CoralPhase.previous_secret,
                 CoralPhase.previous_until, CoralPhase.threshold)
          .join(CoralPhase, CoralPhase.platform_id == Platform.id)
          .where(Platform.name == bindparam("name")))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def phase_config(session: Session, platform_name: str) -> PhaseConfig | None:
    """The phase of ``platform_name`` with its valid secrets, or None."""
    row = session.connection().execute(_PHASE, {"name": platform_name}).first()
    if row is None:
        return None
    valid = [row.secret]
    if row.previous_secret and row.previous_until and _aware(row.previous_until) > utcnow():
        valid.append(row.previous_secret)
    return PhaseConfig(row.id, row.name, tuple(valid), row.threshold)


def stored_texts(session: Session, platform_id: int, thread_external_id: str,
                 comment_ids: list[str]) -> dict[str, str]:
    """{comment id: text} for those of ``comment_ids`` already stored in the thread."""
    rows = session.execute(select(Comment.external_id, Comment.text)
                           .join(Thread, Thread.id == Comment.thread_id)
                           .where(Thread.platform_id == platform_id,
                                  Thread.external_id == thread_external_id,
                                  Comment.external_id.in_(comment_ids)))
    return {row.external_id: row.text for row in rows}
