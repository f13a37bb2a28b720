"""Fixtures of the webhook tests: an app without the model on each database."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import dispose
from tests.webhooks.webhook_helpers import make_app


@pytest.fixture(params=["sqlite", "postgresql"])
def wh_app(request, tmp_path):
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    app = make_app(tmp_path, url)
    yield app
    dispose(app)


@pytest.fixture
def platform() -> str:
    return f"wh-{uuid.uuid4().hex[:8]}"
