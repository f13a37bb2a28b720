"""Fixtures of the moderation tests (helpers live in ``tests/moderation/helpers.py``)."""

from __future__ import annotations

import uuid

import pytest

from tests.moderation.helpers import add_moderator, make_app, sign_in


@pytest.fixture
def app(tmp_path):
    """An app on a fresh SQLite database, without the model, failures not delayed."""
    return make_app(tmp_path)


@pytest.fixture
def platform() -> str:
    return f"p-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def moderator(app, platform) -> str:
    return add_moderator(app, [platform])


@pytest.fixture
def signed_in(app, moderator):
    client = app.test_client()
    response = sign_in(client, moderator)
    assert response.status_code == 303
    return client


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright (the browser tests skip without it)."""
    from tests.moderation.helpers import CHROMIUM

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()
