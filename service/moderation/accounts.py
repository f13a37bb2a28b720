"""Passwords (argon2id) and the sign-in decision with its lock-out; no Flask here.

An unknown username costs the same as a wrong password (a hash is verified either way)
and is locked out after the same number of failures, so the answers do not tell whether
an account exists. Unknown names are counted in this process only: under several workers
the lock-out of a name that does not exist is approximate.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from ..store.moderators import find_moderator, locked_for, record_failure, record_success

HASHER = PasswordHasher()  # argon2id with the library's RFC 9106 parameters
MIN_PASSWORD, MAX_PASSWORD = 12, 1024


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def password_problem(password: str, username: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_PASSWORD:
        return f"must be at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"must be at most {MAX_PASSWORD} characters"
    if password.strip().casefold() == username.strip().casefold():
        return "must not be the username"
    return None


@cache
def _decoy_hash() -> str:
    return HASHER.hash(secrets.token_urlsafe(16))


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Outcome:
    """A sign-in attempt: the account signed in, or how long the name is locked."""

    moderator_id: int | None = None
    epoch: int = 0
    retry_after: int = 0


class _UnknownNames:
    """Failure counts for names with no account (bounded, per process)."""

    def __init__(self, size: int = 4096):
        self.size, self.entries = size, OrderedDict()
        self.lock = threading.Lock()

    def locked_for(self, name: str, now: datetime) -> int:
        with self.lock:
            _, until = self.entries.get(name, (0, None))
        return max(0, int((until - now).total_seconds() + 0.999)) if until else 0

    def fail(self, name: str, now: datetime, limit: int, lock: timedelta) -> bool:
        with self.lock:
            count, _ = self.entries.pop(name, (0, None))
            count += 1
            locked = count >= limit
            self.entries[name] = (0, now + lock) if locked else (count, None)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return locked


UNKNOWN = _UnknownNames()


def sign_in(session: Session, username: str, password: str, *, now: datetime, limit: int,
            lock: timedelta) -> Outcome:
    """Check a username and password; count failures and lock after ``limit`` of them."""
    moderator = find_moderator(session, username)
    if moderator is None:
        wait = UNKNOWN.locked_for(username, now)
        if wait:
            return Outcome(retry_after=wait)
        _verify(_decoy_hash(), password)
        locked = UNKNOWN.fail(username, now, limit, lock)
        return Outcome(retry_after=int(lock.total_seconds()) if locked else 0)
    wait = locked_for(moderator, now)
    if wait:
        return Outcome(retry_after=wait)
    if not _verify(moderator.password_hash, password):
        locked = record_failure(session, moderator, now, limit, lock)
        return Outcome(retry_after=int(lock.total_seconds()) if locked else 0)
    rehashed = hash_password(password) if HASHER.check_needs_rehash(
        moderator.password_hash) else None
    record_success(session, moderator, rehashed)
    return Outcome(moderator_id=moderator.id, epoch=moderator.session_epoch or 0)
