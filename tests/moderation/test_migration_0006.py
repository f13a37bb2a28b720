"""Migration 0006 on threads stored before it, on SQLite and PostgreSQL: the detected
language from the stored predictions, and the health a moderator acted on for threads they
had closed."""

from __future__ import annotations

import json
import os

import pytest
from alembic import command
from sqlalchemy import text

from service.store.db import _alembic_config, make_engine
from tests.conftest import PG_DSN

NOW = "2026-12-01 10:00:00"
THREADS = [  # id, review state, score, level, languages of its comments
    (1, "open", 30, "unhealthy", ["fr", "fr", "en"]),
    (2, "reviewed", 45, "at_risk", ["en", "other", "fr", "en"]),
    (3, "dismissed", 63, "healthy", ["other"]),
    (4, "escalated", 20, "unhealthy", []),
]


def _seed_at_0003(engine) -> None:
    command.upgrade(_alembic_config(engine), "0003")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO platforms (id, name, created_at) "
                                "VALUES (1, 'old', :now)"), {"now": NOW})
        for tid, state, score, level, languages in THREADS:
            connection.execute(text(
                "INSERT INTO threads (id, platform_id, external_id, created_at, updated_at, "
                "comment_count, score, level, level_rank, flagged, review_state) VALUES "
                "(:id, 1, :ext, :now, :now, :n, :score, :level, 0, true, :state)"),
                {"id": tid, "ext": f"t{tid}", "now": NOW, "n": len(languages),
                 "score": score, "level": level, "state": state})
            for position, language in enumerate(languages):
                connection.execute(text(
                    "INSERT INTO comments (thread_id, external_id, position, author, text, "
                    "stored_at, prediction) VALUES (:tid, :ext, :pos, 'a', 'x', :now, :p)"),
                    {"tid": tid, "ext": f"c{position}", "pos": position, "now": NOW,
                     "p": json.dumps({"language": language})})


def _check_upgrade(engine) -> None:
    _seed_at_0003(engine)
    command.upgrade(_alembic_config(engine), "head")
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT id, language, detected_language, decision_score, decision_level, "
            "review_reason FROM threads ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [
        (1, None, "fr", None, None, None),
        (2, None, "en", 45, "at_risk", None),
        (3, None, "other", 63, "healthy", None),
        (4, None, None, 20, "unhealthy", None)]
    command.downgrade(_alembic_config(engine), "0003")
    with engine.connect() as connection:
        columns = connection.execute(text("SELECT * FROM threads")).keys()
    assert "detected_language" not in columns and "decision_score" not in columns


def test_upgrade_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        _check_upgrade(engine)
    finally:
        engine.dispose()


def test_upgrade_on_postgresql(pg_url):
    psycopg = pytest.importorskip("psycopg")
    schema = f"th_mig_{os.getpid()}"
    with psycopg.connect(PG_DSN, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.execute(f'CREATE SCHEMA "{schema}"')
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test"
                         f"?options=-csearch_path%3D{schema}")
    try:
        _check_upgrade(engine)
    finally:
        engine.dispose()
        with psycopg.connect(PG_DSN, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
