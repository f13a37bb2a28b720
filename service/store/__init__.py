"""Storage: one SQLAlchemy engine per process, sessions per unit of work, readiness check.

The store knows nothing of Flask. ``init_app`` puts the engine and its session factories
in the app's ``extensions``; the app factory then tells the store, with ``bind``, how to
find the database of the app that is running (``transaction``, ``reading`` and
``thread_turn`` ask it each time, so several apps in one process keep their own).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from . import job_models  # noqa: F401  (the jobs' tables join the models' metadata)
from .db import is_sqlite, make_engine, schema_status, session_factory, upgrade
from .turns import turn


@dataclass(frozen=True)
class Database:
    """An engine and its session factories: for writes, and for reads (on SQLite a
    second engine whose reads do not queue behind writers)."""

    engine: Engine
    sessions: sessionmaker[Session]
    read_sessions: sessionmaker[Session]

    @classmethod
    def open(cls, url: str) -> Database:
        """Engines for ``url``, connecting lazily."""
        engine = make_engine(url)
        reader = make_engine(url, write=False) if is_sqlite(url) else engine
        return cls(engine, session_factory(engine), session_factory(reader))

    def check(self) -> tuple[bool, str]:
        """Readiness: the database answers and its schema is the code's."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            current, head = schema_status(self.engine)
        except SQLAlchemyError as exc:
            return False, f"database unreachable: {type(exc).__name__}"
        if current != head:
            return False, (f"database schema at {current or 'nothing'}, code expects {head}: "
                           "run `thread-health db upgrade`")
        return True, f"{self.engine.dialect.name} schema {current}"


def init_app(app) -> None:
    """Open the database of the Flask ``app`` (its ``DATABASE_URL``; migrated first when
    ``AUTO_MIGRATE``) and register its readiness check."""
    database = Database.open(app.config["DATABASE_URL"])
    app.extensions.update(database=database, db_engine=database.engine,
                          db_sessions=database.sessions,
                          db_read_sessions=database.read_sessions)
    if app.config.get("AUTO_MIGRATE"):
        upgrade(database.engine)
    app.extensions["readiness"]["database"] = database.check


_finder: list[Callable[[], Database]] = []  # set once by ``bind``


def bind(finder: Callable[[], Database]) -> None:
    """How to find the database in use: the app factory passes "the running app's"."""
    _finder[:] = [finder]


def current() -> Database:
    """The database in use (``bind``)."""
    if not _finder:
        raise RuntimeError("no database: build the app (service.create_app) first")
    return _finder[0]()


@contextmanager
def transaction() -> Iterator[Session]:
    """A session in one write transaction: committed on success, rolled back on error."""
    with current().sessions.begin() as session:
        yield session


@contextmanager
def thread_turn(platform_id: int, external_id: str) -> Iterator[None]:
    """This thread's turn to be analysed and written (``turns.py``)."""
    with turn(current().engine, platform_id, external_id):
        yield


@contextmanager
def reading() -> Iterator[Session]:
    """A session for reads only (on SQLite it does not queue behind writers)."""
    with current().read_sessions.begin() as session:
        yield session


__all__ = ["Database", "bind", "current", "init_app", "is_sqlite", "make_engine", "reading",
           "schema_status", "session_factory", "thread_turn", "transaction", "upgrade"]
