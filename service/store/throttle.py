"""Failed sign-in counters shared by every worker: in the database, or in Redis.

Each rule counts failures of one key in a window; at the rule's limit the key waits for
the rule's lock. In the database (the default), rows are taken with a row lock
(PostgreSQL) or under SQLite's write lock taken at BEGIN, so concurrent failures are all
counted, and they survive restarts. When ``THREAD_HEALTH_RATELIMIT_STORAGE`` names Redis,
the counters live there instead (one atomic script per failure, expiring keys). The policy
(which keys, which limits) is ``service/moderation/accounts.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .models import SignInThrottle


@dataclass(frozen=True)
class Rule:
    """``limit`` failures within ``window`` make the key wait ``lock``."""

    limit: int
    window: timedelta
    lock: timedelta


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:  # SQLite returns naive UTC
        return moment.replace(tzinfo=UTC)
    return moment


def _seconds(until: datetime | None, now: datetime) -> int:
    until = _aware(until)
    return max(0, int((until - now).total_seconds() + 0.999)) if until else 0


def _wait(session: Session, keys: list[str], now: datetime) -> int:
    """Seconds before any of ``keys`` may try again (0: none is locked)."""
    rows = session.scalars(select(SignInThrottle).where(SignInThrottle.key.in_(keys)))
    return max((_seconds(row.locked_until, now) for row in rows), default=0)


def _locked_row(session: Session, key: str, now: datetime) -> SignInThrottle:
    """The key's row, created if missing, locked for this transaction."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(SignInThrottle).values(key=key, failures=0, window_start=now)
                    .on_conflict_do_nothing(index_elements=["key"]))
    return session.scalars(select(SignInThrottle).where(SignInThrottle.key == key)
                           .with_for_update()).one()


def _fail(session: Session, rules: dict[str, Rule], now: datetime) -> tuple[int, list[str]]:
    """Count one failure for each key of ``rules``; (seconds to wait now, keys that this
    failure locked)."""
    locked = []
    for key, rule in sorted(rules.items()):  # one order everywhere: no deadlock
        row = _locked_row(session, key, now)
        if now - _aware(row.window_start) >= rule.window:
            row.failures, row.window_start = 0, now
        row.failures += 1
        if row.failures >= rule.limit:
            row.failures, row.window_start, row.locked_until = 0, now, now + rule.lock
            locked.append(key)
    session.flush()
    return _wait(session, list(rules), now), locked


def _forget(session: Session, keys: list[str]) -> None:
    """Clear the counts of ``keys`` (a good sign-in clears its own pair)."""
    session.execute(delete(SignInThrottle).where(SignInThrottle.key.in_(keys)))


def _prune(session: Session, now: datetime, older_than: timedelta) -> int:
    """Drop counts whose window ended ``older_than`` ago and that lock nothing."""
    result = session.execute(delete(SignInThrottle).where(
        SignInThrottle.window_start < now - older_than,
        or_(SignInThrottle.locked_until.is_(None), SignInThrottle.locked_until < now)))
    return result.rowcount or 0


class DatabaseCounters:
    """The counters in the ``sign_in_throttle`` table, in the caller's transaction."""

    def __init__(self, session: Session):
        self.session = session

    def wait(self, keys: list[str], now: datetime) -> int:
        """Seconds before any of ``keys`` may try again (0: none is locked)."""
        return _wait(self.session, keys, now)

    def fail(self, rules: dict[str, Rule], now: datetime) -> tuple[int, list[str]]:
        """Count one failure per key; (seconds to wait now, keys this failure locked)."""
        return _fail(self.session, rules, now)

    def forget(self, keys: list[str]) -> None:
        _forget(self.session, keys)

    def prune(self, now: datetime, older_than: timedelta) -> None:
        _prune(self.session, now, older_than)


# KEYS: the failure count, the lock; ARGV: limit, window and lock in milliseconds.
# Returns 1 when this failure reached the limit (the lock is then set).
_FAIL = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n >= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return 1
end
return 0
"""


class RedisCounters:
    """The same counters in Redis: ``<prefix><key>:n`` counts (expiring with the window),
    ``<prefix><key>:lock`` exists while the key waits; nothing to prune."""

    def __init__(self, client, prefix: str):
        self.client, self.prefix = client, prefix
        self.script = client.register_script(_FAIL)

    def wait(self, keys: list[str], now: datetime) -> int:
        ttls = [self.client.pttl(f"{self.prefix}{key}:lock") for key in keys]
        return max((math.ceil(ms / 1000) for ms in ttls if ms > 0), default=0)

    def fail(self, rules: dict[str, Rule], now: datetime) -> tuple[int, list[str]]:
        locked = []
        for key, rule in rules.items():
            args = [rule.limit, int(rule.window.total_seconds() * 1000),
                    int(rule.lock.total_seconds() * 1000)]
            if self.script(keys=[f"{self.prefix}{key}:n", f"{self.prefix}{key}:lock"],
                           args=args):
                locked.append(key)
        return self.wait(list(rules), now), locked

    def forget(self, keys: list[str]) -> None:
        if keys:
            self.client.delete(*(f"{self.prefix}{key}:{part}" for key in keys
                                 for part in ("n", "lock")))

    def prune(self, now: datetime, older_than: timedelta) -> None:
        """Redis expires the keys itself."""
