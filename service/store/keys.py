"""Platforms and their API keys: created once, stored as SHA-256, listed by prefix, revoked.

Keys are 256-bit random tokens, so a fast hash is enough (no password stretching is
needed for secrets nobody chose); a lookup is one indexed query.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .models import ApiKey, AuditEntry, Platform, utcnow

KEY_PREFIX = "th_"


@dataclass(frozen=True)
class KeyInfo:
    prefix: str
    platform: str
    created_at: str
    revoked: bool


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def get_or_create_platform(session: Session, name: str) -> Platform:
    platform = session.scalar(select(Platform).where(Platform.name == name))
    if platform is None:
        platform = Platform(name=name)
        session.add(platform)
        session.flush()
    return platform


def create_key(session: Session, platform_name: str, actor: str = "cli") -> str:
    """A new key for ``platform_name`` (created if new); the only time the key is seen."""
    platform = get_or_create_platform(session, platform_name)
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    session.add(ApiKey(platform_id=platform.id, prefix=prefix, key_hash=hash_key(key)))
    session.add(AuditEntry(actor=actor, action="key.create", platform_id=platform.id,
                           target=prefix))
    return key


# Built once: it runs on every API request (one indexed query, no ORM objects).
_ACTIVE_KEY = (select(Platform.id, Platform.name)
               .join(ApiKey, ApiKey.platform_id == Platform.id)
               .where(ApiKey.key_hash == bindparam("key_hash"), ApiKey.revoked_at.is_(None)))


def authenticate(session: Session, key: str) -> tuple[int, str] | None:
    """The id and name of the platform of an active key, or None."""
    row = session.connection().execute(_ACTIVE_KEY, {"key_hash": hash_key(key)}).first()
    return (row[0], row[1]) if row else None


def list_keys(session: Session, platform_name: str | None = None) -> list[KeyInfo]:
    query = select(ApiKey, Platform).join(Platform).order_by(ApiKey.id)
    if platform_name:
        query = query.where(Platform.name == platform_name)
    return [KeyInfo(k.prefix, p.name, k.created_at.isoformat(timespec="seconds"),
                    k.revoked_at is not None) for k, p in session.execute(query)]


def revoke_key(session: Session, prefix: str, actor: str = "cli") -> bool:
    """Revoke the key with this prefix; False when there is no such active key."""
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix,
                                              ApiKey.revoked_at.is_(None)))
    if key is None:
        return False
    key.revoked_at = utcnow()
    session.add(AuditEntry(actor=actor, action="key.revoke", platform_id=key.platform_id,
                           target=prefix))
    return True
