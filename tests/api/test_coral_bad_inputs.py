"""A table of bad inputs for the Coral phase, correctly signed: each is a 400 problem naming
the field; none is a 500. No model is loaded: validation comes before analysis."""

from __future__ import annotations

import pytest

from tests.api.coral_helpers import coral_body, new_phase, post


@pytest.fixture(scope="module")
def api(model_free_app):
    platform, secret = new_phase(model_free_app)
    return model_free_app.test_client(), platform, secret


def _with(path: str, value) -> dict:
    """A valid body with the dotted ``path`` set to ``value`` (removed when ``...``)."""
    body = coral_body()
    *parents, last = path.split(".")
    node = body
    for name in parents:
        node = node[name]
    if value is ...:
        node.pop(last)
    else:
        node[last] = value
    return body


CASES = [
    (b"{not json", "body"), (b"", "body"), (b"\xff\xfe", "body"), (b"[" * 5000, "body"),
    (b"[]", "body"), (b'"text"', "body"), (b"null", "body"),
    (_with("action", ...), "action"), (_with("action", "DELETE"), "action"),
    (_with("action", 1), "action"),
    (_with("comment", ...), "comment"), (_with("comment", "text"), "comment"),
    (_with("comment.body", ...), "comment.body"), (_with("comment.body", ""), "comment.body"),
    (_with("comment.body", "   "), "comment.body"), (_with("comment.body", 5), "comment.body"),
    (_with("comment.body", "x" * 10_001), "comment.body"),
    (_with("comment.body", "nul\x00byte"), "comment.body"),
    (_with("comment.body", "\ud800"), "comment.body"),
    (_with("comment.parentID", 7), "comment.parentID"),
    (_with("comment.parentID", "p" * 201), "comment.parentID"),
    (_with("comment.id", ["c"]), "comment.id"),
    (_with("author", ...), "author"), (_with("author", []), "author"),
    (_with("author.id", ...), "author.id"), (_with("author.id", ""), "author.id"),
    (_with("author.id", {"a": 1}), "author.id"), (_with("author.role", 3), "author.role"),
    (_with("story", ...), "story"), (_with("story.id", ...), "story.id"),
    (_with("story.id", 42), "story.id"), (_with("story.id", "s" * 201), "story.id"),
    (_with("story.url", False), "story.url"), (_with("site", "s"), "site"),
    (_with("tenantID", 1), "tenantID"), (_with("tenantDomain", []), "tenantDomain"),
]


@pytest.mark.parametrize(("body", "field"), CASES,
                         ids=[f"{i}-{field}" for i, (_, field) in enumerate(CASES)])
def test_bad_input_is_400_naming_the_field(api, body, field):
    client, platform, secret = api
    response = post(client, platform, body, secret)
    assert response.status_code == 400, response.data
    assert response.mimetype == "application/problem+json"
    assert field in [e["field"] for e in response.get_json()["errors"]]


def test_bad_input_unsigned_is_401_not_400(api):
    """The signature is checked first: a stranger learns nothing about the body's rules."""
    client, platform, _ = api
    assert post(client, platform, b"{not json").status_code == 401


def test_valid_input_without_a_model_is_503(api):
    client, platform, secret = api
    assert post(client, platform, coral_body(), secret).status_code == 503


def test_body_over_2_mb_is_413(api):
    client, platform, secret = api
    big = b'{"pad": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    assert post(client, platform, big, secret).status_code == 413
