"""Security headers on every kind of response; the API reference under the strict CSP."""

from __future__ import annotations

import pytest

from tests.moderation.helpers import inline_code

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# What the policy must say, directive by directive (written from the requirement, not
# copied from the code): scripts, styles and everything else from this origin only, so no
# inline code runs; images may also be data: URLs; no framing, no <base>, forms post here.
STRICT = {"default-src": {"'self'"}, "script-src": {"'self'"}, "style-src": {"'self'"},
          "img-src": {"'self'", "data:"}, "frame-ancestors": {"'none'"},
          "base-uri": {"'none'"}, "form-action": {"'self'"}}


def directives(header: str | None) -> dict[str, set[str]]:
    """A Content-Security-Policy header as {directive: sources}."""
    out: dict[str, set[str]] = {}
    for part in (header or "").split(";"):
        if part.strip():
            name, *sources = part.split()
            out[name.lower()] = set(sources)
    return out


@pytest.mark.parametrize(("header", "strict"), [
    ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "frame-ancestors 'none'; base-uri 'none'; form-action 'self'", True),
    ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'; "
     "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
     False),
    ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "base-uri 'none'; form-action 'self'", False),
    (None, False),
])
def test_the_check_of_the_policy_tells_strict_from_weaker(header, strict):
    assert (directives(header) == STRICT) is strict


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
    assert directives(response.headers.get("Content-Security-Policy")) == STRICT, url


def test_the_api_reference_renders_without_inline_code(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert inline_code(page.get_data(as_text=True)) == []


def test_moderation_pages_are_not_cached(client):
    assert client.get("/moderation/login").headers["Cache-Control"] == "no-store"
