"""Turns: writers of one thread's analysis take turns, across threads and processes.

An append analyses a thread's new comments from the state it read, then writes under the
thread's version (``store/threads.py``). Two appends to one thread analysing at once make
one of them start again; under a steady stream the same one can lose every time (the
winner's process starts its next append while the loser is still finding out). So appends
to a thread take turns: threads of a process with a lock, processes with a PostgreSQL
advisory lock, or on SQLite a POSIX lock on one byte of a file beside the database. A turn
holds no database transaction open: other threads and platforms write meanwhile, and the
version check still keeps any other writer (a PUT, a moderator) from being overwritten.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

STRIPES = 1024  # threads share a turn only when their ids fall on the same stripe
ADVISORY_BASE = 0x7468_0000  # PostgreSQL advisory keys of this service: base + stripe
_LOCAL = tuple(threading.Lock() for _ in range(STRIPES))
_FILES: dict[str, int] = {}
_FILES_LOCK = threading.Lock()


def stripe(platform_id: int, external_id: str) -> int:
    """The same number in every process for a thread (``hash()`` is salted per process)."""
    digest = hashlib.blake2b(f"{platform_id}\x1f{external_id}".encode(), digest_size=4)
    return int.from_bytes(digest.digest(), "big") % STRIPES


def _lock_file(database: str) -> int:
    """The open lock file of an SQLite database, one per process (closing any descriptor of
    a file drops the process's POSIX locks on it, so it stays open)."""
    path = database + "-turns"
    with _FILES_LOCK:
        if path not in _FILES:
            _FILES[path] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        return _FILES[path]


@contextmanager
def turn(engine: Engine, platform_id: int, external_id: str) -> Iterator[None]:
    """Wait for this thread's turn, hold it for the block."""
    number = stripe(platform_id, external_id)
    with _LOCAL[number]:
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                connection.execute(text("SELECT pg_advisory_lock(:k)"),
                                   {"k": ADVISORY_BASE + number})
                connection.commit()
                try:
                    yield
                finally:
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"),
                                       {"k": ADVISORY_BASE + number})
                    connection.commit()
            return
        database = engine.url.database
        if not database or database == ":memory:" or not Path(database).parent.exists():
            yield  # one process only
            return
        fd = _lock_file(database)
        fcntl.lockf(fd, fcntl.LOCK_EX, 1, number)
        try:
            yield
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, number)
