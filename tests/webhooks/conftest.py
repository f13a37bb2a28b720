"""Fixtures of the webhook tests: an app without the model on each database. On
PostgreSQL each test gets a schema of its own, since the worker claims whatever is due in
its database and other tests' deliveries must not be in the way."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import PG_DSN, dispose
from tests.webhooks.webhook_helpers import make_app


@pytest.fixture
def own_pg_url(pg_url):
    """A PostgreSQL URL on a fresh schema for one test, dropped after it."""
    import psycopg

    schema = f"th_wh_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_DSN, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    yield ("postgresql+psycopg://postgres@127.0.0.1:5432/test"
           f"?options=-csearch_path%3D{schema}")
    with psycopg.connect(PG_DSN, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def wh_app(request, tmp_path):
    url = request.getfixturevalue("own_pg_url") if request.param == "postgresql" else None
    app = make_app(tmp_path, url)
    yield app
    dispose(app)


@pytest.fixture
def platform() -> str:
    return f"wh-{uuid.uuid4().hex[:8]}"
