"""Shared fixtures: apps on temporary data directories, clients, the CLI runner, databases.

The storage and API tests run on SQLite and on the real PostgreSQL server of the machine
(127.0.0.1:5432, database ``test``); each pytest worker gets its own schema there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from click.testing import CliRunner

from service import create_app

PG_DSN = "host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=3"


@pytest.fixture
def app(tmp_path):
    return create_app({"DATA_DIR": tmp_path, "TESTING": True, "LOAD_MODEL": False})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.setenv("THREAD_HEALTH_DATA_DIR", str(tmp_path))
    return CliRunner()


@contextmanager
def fresh_schema(name: str) -> Iterator[str]:
    """A PostgreSQL URL on a new schema ``name`` (dropped at the end); skips, saying why,
    when no server answers on 127.0.0.1:5432."""
    psycopg = pytest.importorskip("psycopg")
    try:
        connection = psycopg.connect(PG_DSN, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server answers on 127.0.0.1:5432 ({exc})")
    with connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        connection.execute(f'CREATE SCHEMA "{name}"')
    yield ("postgresql+psycopg://postgres@127.0.0.1:5432/test"
           f"?options=-csearch_path%3D{name}")
    with psycopg.connect(PG_DSN, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture(scope="session")
def pg_url(worker_id):
    """A PostgreSQL URL on a fresh schema for this pytest process (dropped at the end)."""
    with fresh_schema(f"th_test_{worker_id}_{os.getpid()}") as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_app(request, tmp_path_factory):
    """An app with the bundled model, migrated, on each database backend."""
    data_dir = tmp_path_factory.mktemp(f"data-{request.param}")
    config = {"DATA_DIR": data_dir, "TESTING": True, "AUTO_MIGRATE": True}
    if request.param == "postgresql":
        config["DATABASE_URL"] = request.getfixturevalue("pg_url")
    app = create_app(config)
    yield app
    dispose(app)


def dispose(app) -> None:
    """Close the app's database connections (an open one is a ResourceWarning, an error)."""
    app.extensions["db_engine"].dispose()
    app.extensions["db_read_sessions"].kw["bind"].dispose()
