"""Migration 0011 on SQLite and PostgreSQL: a thread's comments indexed by (thread,
position), the index by thread alone dropped, and the reverse on downgrade; on SQLite the
moderation page's outline no longer sorts in a temporary B-tree."""

from __future__ import annotations

import os

from alembic import command
from sqlalchemy import inspect, text

from service.store.db import _alembic_config, make_engine
from tests.conftest import fresh_schema


def _comment_indexes(engine) -> dict[str, list[str]]:
    return {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("comments")}


def _check(engine) -> None:
    command.upgrade(_alembic_config(engine), "0010")
    assert _comment_indexes(engine)["ix_comments_thread_id"] == ["thread_id"]
    command.upgrade(_alembic_config(engine), "head")
    indexes = _comment_indexes(engine)
    assert indexes["ix_comments_thread_position"] == ["thread_id", "position"]
    assert "ix_comments_thread_id" not in indexes
    command.downgrade(_alembic_config(engine), "0010")
    indexes = _comment_indexes(engine)
    assert indexes["ix_comments_thread_id"] == ["thread_id"]
    assert "ix_comments_thread_position" not in indexes


def test_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    try:
        _check(engine)
        command.upgrade(_alembic_config(engine), "head")
        with engine.connect() as connection:
            plan = " ".join(row[-1] for row in connection.execute(text(
                "EXPLAIN QUERY PLAN SELECT id FROM comments WHERE thread_id = 1 "
                "ORDER BY position")))
        assert "ix_comments_thread_position" in plan and "TEMP B-TREE" not in plan
    finally:
        engine.dispose()


def test_on_postgresql():
    with fresh_schema(f"th_mig11_{os.getpid()}") as url:
        engine = make_engine(url)
        try:
            _check(engine)
        finally:
            engine.dispose()
