"""Moderator accounts in the store: create, find, list, sign-ins, session epochs.

Passwords arrive here already hashed (``service.moderation.accounts`` hashes them).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEntry, Moderator, Platform


class AccountError(ValueError):
    """An account cannot be created as asked (the message says why)."""


@dataclass(frozen=True)
class ModeratorInfo:
    username: str
    admin: bool
    platforms: list[str]
    created_at: str


def find_moderator(session: Session, username: str) -> Moderator | None:
    return session.scalar(select(Moderator).where(Moderator.username == username))


def create_moderator(session: Session, username: str, password_hash: str,
                     platforms: list[str], admin: bool, actor: str = "cli") -> Moderator:
    """A new account scoped to existing ``platforms`` (an admin sees every platform)."""
    if find_moderator(session, username) is not None:
        raise AccountError(f"a moderator named {username!r} already exists")
    rows = list(session.scalars(select(Platform).where(Platform.name.in_(platforms))))
    missing = sorted(set(platforms) - {p.name for p in rows})
    if missing:
        raise AccountError(f"no platform named {', '.join(map(repr, missing))} (a platform "
                           "exists once it has an API key: `thread-health keys create "
                           "--platform NAME`)")
    if not rows and not admin:
        raise AccountError("give at least one --platform, or --admin")
    moderator = Moderator(username=username, password_hash=password_hash, is_admin=admin,
                          failed_logins=0, session_epoch=0, platforms=rows)
    session.add(moderator)
    session.flush()
    session.add(AuditEntry(actor=actor, action="moderator.create", target=username,
                           detail={"admin": admin, "platforms": sorted(platforms)}))
    return moderator


def list_moderators(session: Session) -> list[ModeratorInfo]:
    return [ModeratorInfo(m.username, m.is_admin, sorted(p.name for p in m.platforms),
                          m.created_at.isoformat(timespec="seconds"))
            for m in session.scalars(select(Moderator).order_by(Moderator.username))]


def record_success(session: Session, moderator: Moderator, password_hash: str | None) -> None:
    """A good sign-in: clear the account's old lock-out fields (unused since the sign-in
    throttle, ``store/throttle.py``), store a re-hashed password, audit it."""
    moderator.failed_logins, moderator.locked_until = 0, None
    if password_hash:
        moderator.password_hash = password_hash
    session.add(AuditEntry(actor=f"moderator:{moderator.username}", action="moderator.sign_in",
                           target=moderator.username))


def end_sessions(session: Session, moderator_id: int) -> None:
    """Sign out everywhere: cookies carrying an older epoch stop being accepted."""
    moderator = session.get(Moderator, moderator_id, with_for_update=True)
    if moderator is not None:
        moderator.session_epoch = (moderator.session_epoch or 0) + 1
        session.add(AuditEntry(actor=f"moderator:{moderator.username}",
                               action="moderator.sign_out", target=moderator.username))
