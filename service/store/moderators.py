"""Moderator accounts in the store: create, find, list, who may moderate a platform,
sign-ins, session epochs.

Passwords arrive here already hashed (``service.moderation.accounts`` hashes them).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .models import AuditEntry, Moderator, ModeratorPlatform, Platform


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


def usernames(session: Session, moderator_ids: set[int]) -> dict[int, str]:
    """The username of each of these accounts (id -> name)."""
    return dict(session.execute(select(Moderator.id, Moderator.username)
                                .where(Moderator.id.in_(moderator_ids))).all())


def colleagues(session: Session, platform_ids: list[int]) -> list[str]:
    """Usernames of the accounts that may moderate one of the platforms (admins too)."""
    members = select(ModeratorPlatform.moderator_id).where(
        ModeratorPlatform.platform_id.in_(platform_ids))
    return list(session.scalars(select(Moderator.username).where(
        or_(Moderator.is_admin.is_(True), Moderator.id.in_(members)))
        .order_by(Moderator.username)))


def moderator_of(session: Session, username: str, platform_id: int) -> Moderator | None:
    """The account ``username`` when it may moderate the platform (admins may), else None."""
    account = find_moderator(session, username)
    if account is None or account.is_admin:
        return account
    allowed = session.scalar(select(ModeratorPlatform.platform_id).where(
        ModeratorPlatform.moderator_id == account.id,
        ModeratorPlatform.platform_id == platform_id))
    return account if allowed is not None else None


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
