"""Shared fixtures: an app on a temporary data directory, its client, the CLI runner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from service import create_app


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
