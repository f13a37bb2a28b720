"""Security headers on every kind of response; the API reference under the strict CSP."""

from __future__ import annotations

import pytest

from service.browser_safety import CSP
from tests.moderation.helpers import inline_code

EXPECTED = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def test_the_policy_is_the_strict_one():
    assert CSP == ("default-src 'self'; script-src 'self'; style-src 'self'; "
                   "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
                   "form-action 'self'")


@pytest.mark.parametrize(("method", "url"), [
    ("get", "/healthz"), ("get", "/openapi.json"), ("get", "/docs"),
    ("get", "/static/docs.css"), ("get", "/static/moderation.js"),
    ("get", "/moderation/login"), ("get", "/moderation/"), ("get", "/no-such-page"),
    ("get", "/v1/threads"), ("post", "/moderation/logout"), ("get", "/metrics"),
])
def test_every_response_carries_the_security_headers(client, method, url):
    response = getattr(client, method)(url)
    response.close()  # static files are streamed from an open file
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (url, name)


def test_the_api_reference_renders_without_inline_code(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert inline_code(page.get_data(as_text=True)) == []


def test_moderation_pages_are_not_cached(client):
    assert client.get("/moderation/login").headers["Cache-Control"] == "no-store"
