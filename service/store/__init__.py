"""Storage: one SQLAlchemy engine per process, sessions per unit of work, readiness check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from . import job_models  # noqa: F401  (the jobs' tables join the models' metadata)
from .db import is_sqlite, make_engine, schema_status, session_factory, upgrade
from .turns import turn


def init_app(app: Flask) -> None:
    """Create the engine (lazily connecting) and register the database readiness check."""
    url = app.config["DATABASE_URL"]
    engine = make_engine(url)
    reader = make_engine(url, write=False) if is_sqlite(url) else engine
    app.extensions["db_engine"] = engine
    app.extensions["db_sessions"] = session_factory(engine)
    app.extensions["db_read_sessions"] = session_factory(reader)
    if app.config.get("AUTO_MIGRATE"):
        upgrade(engine)

    def check() -> tuple[bool, str]:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            current, head = schema_status(engine)
        except SQLAlchemyError as exc:
            return False, f"database unreachable: {type(exc).__name__}"
        if current != head:
            return False, (f"database schema at {current or 'nothing'}, code expects {head}: "
                           "run `thread-health db upgrade`")
        return True, f"{engine.dialect.name} schema {current}"

    app.extensions["readiness"]["database"] = check


@contextmanager
def transaction() -> Iterator[Session]:
    """A session in one write transaction: committed on success, rolled back on error."""
    with current_app.extensions["db_sessions"].begin() as session:
        yield session


@contextmanager
def thread_turn(platform_id: int, external_id: str) -> Iterator[None]:
    """This thread's turn to be analysed and written (``turns.py``)."""
    with turn(current_app.extensions["db_engine"], platform_id, external_id):
        yield


@contextmanager
def reading() -> Iterator[Session]:
    """A session for reads only (on SQLite it does not queue behind writers)."""
    with current_app.extensions["db_read_sessions"].begin() as session:
        yield session


__all__ = ["init_app", "make_engine", "reading", "schema_status", "session_factory",
           "thread_turn", "transaction", "upgrade"]
