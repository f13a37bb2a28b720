"""Passwords (argon2id) and the sign-in decision with its throttling; no Flask here.

Throttling is the same for every name, whether an account has it or not, and cannot lock
the real moderator out:

- failures are counted per (name, client address), and per (name, device) for a browser
  that signed in as that name before (its ``device`` cookie, signed with the secret key);
  ``pair`` failures within its window make that pair wait;
- failures of a name from every address are counted too, with a slower limit (``name``);
  at it, the name waits, except from the devices it signed in from before;
- the counters are in the database, or in Redis when the rate limits use it
  (``store/throttle.py``): shared by every worker either way;
- an unknown name costs what a known one does: a password hash is verified either way.

So an attacker guessing from one address stops after ``pair.limit`` tries, guessing from
many addresses stops at ``name.limit`` for the hour, and the moderator signs in from the
browser they used before all along.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from ..store.models import AuditEntry
from ..store.moderators import find_moderator, record_success
from ..store.throttle import Rule

HASHER = PasswordHasher()  # argon2id with the library's RFC 9106 parameters
MIN_PASSWORD, MAX_PASSWORD = 12, 1024
DEVICE_SALT = "thread-health sign-in device"


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
    """A sign-in attempt: the account signed in (with a device token for the browser), or
    how long to wait."""

    moderator_id: int | None = None
    epoch: int = 0
    retry_after: int = 0
    device_token: str | None = None


@dataclass(frozen=True)
class Policy:
    """The two throttling rules, and the key that makes counter keys and device tokens."""

    pair: Rule
    name: Rule
    secret: str
    device_age: timedelta

    def _digest(self, *parts: str) -> str:
        message = "\0".join(parts).encode("utf-8", "surrogatepass")
        return hmac.new(self.secret.encode(), message, hashlib.sha256).hexdigest()

    def device_token(self, username: str) -> str:
        """A new device token for a browser that signed in as ``username``."""
        serializer = URLSafeTimedSerializer(self.secret, salt=DEVICE_SALT)
        return serializer.dumps({"n": self._digest("device-name", username.casefold()),
                                 "d": secrets.token_urlsafe(12)})

    def device_of(self, token: str | None, username: str) -> str | None:
        """The device id in ``token`` when it is valid, recent and for ``username``."""
        if not token or len(token) > 512:
            return None
        serializer = URLSafeTimedSerializer(self.secret, salt=DEVICE_SALT)
        try:
            payload = serializer.loads(token, max_age=int(self.device_age.total_seconds()))
        except BadSignature:  # also expired (SignatureExpired is a BadSignature)
            return None
        if (not isinstance(payload, dict) or not isinstance(payload.get("d"), str)
                or payload.get("n") != self._digest("device-name", username.casefold())):
            return None
        return payload["d"]

    def rules(self, username: str, client: str, device: str | None) -> dict[str, Rule]:
        """The counters one attempt is checked against and counted in."""
        name = username.casefold()
        if device is not None:  # a browser this name signed in from: its own count only
            return {self._digest("device", name, device): self.pair}
        return {self._digest("pair", name, client): self.pair,
                self._digest("name", name): self.name}

    def name_key(self, username: str) -> str:
        return self._digest("name", username.casefold())


def sign_in(session: Session, username: str, password: str, *, now: datetime, client: str,
            device_token: str | None, policy: Policy, counters) -> Outcome:
    """Check a username and password under ``policy``'s throttling, counted in
    ``counters`` (``store.throttle.DatabaseCounters`` or ``RedisCounters``)."""
    device = policy.device_of(device_token, username)
    rules = policy.rules(username, client, device)
    wait = counters.wait(list(rules), now)
    if wait:
        return Outcome(retry_after=wait)
    moderator = find_moderator(session, username)
    # The same work for a name with no account: a hash is verified either way.
    good = _verify(moderator.password_hash if moderator else _decoy_hash(), password)
    if moderator is None or not good:
        wait, locked = counters.fail(rules, now)
        counters.prune(now, max(policy.pair.window, policy.name.window))
        if moderator is not None and policy.name_key(username) in locked:
            session.add(AuditEntry(actor="sign-in", action="moderator.throttle",
                                   target=moderator.username,
                                   detail={"seconds": int(policy.name.lock.total_seconds())}))
        return Outcome(retry_after=wait)
    counters.forget([key for key in rules if key != policy.name_key(username)])
    rehashed = hash_password(password) if HASHER.check_needs_rehash(
        moderator.password_hash) else None
    record_success(session, moderator, rehashed)
    return Outcome(moderator_id=moderator.id, epoch=moderator.session_epoch or 0,
                   device_token=policy.device_token(username))
