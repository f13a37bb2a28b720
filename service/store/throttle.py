"""Failed sign-in counters in the database, so every worker (and every restart) sees them.

Each rule counts failures of one key in a window; at the rule's limit the key waits for
the rule's lock. Rows are taken with a row lock (PostgreSQL) or under SQLite's write lock
taken at BEGIN, so concurrent failures are all counted. The policy itself (which keys,
which limits) is ``service/moderation/throttle.py``.
"""

from __future__ import annotations

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


def wait(session: Session, keys: list[str], now: datetime) -> int:
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


def fail(session: Session, rules: dict[str, Rule], now: datetime) -> tuple[int, list[str]]:
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
    return wait(session, list(rules), now), locked


def forget(session: Session, keys: list[str]) -> None:
    """Clear the counts of ``keys`` (a good sign-in clears its own pair)."""
    session.execute(delete(SignInThrottle).where(SignInThrottle.key.in_(keys)))


def prune(session: Session, now: datetime, older_than: timedelta) -> int:
    """Drop counts whose window ended ``older_than`` ago and that lock nothing."""
    result = session.execute(delete(SignInThrottle).where(
        SignInThrottle.window_start < now - older_than,
        or_(SignInThrottle.locked_until.is_(None), SignInThrottle.locked_until < now)))
    return result.rowcount or 0
