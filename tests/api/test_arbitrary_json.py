"""Arbitrary JSON to every endpoint that reads a body: never an unhandled error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service import create_app
from tests.helpers import new_key

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "author", "text", "reply_to", "language", "comments",
                         "created_at", "title", "url"]) | st.text(max_size=8), inner,
        max_size=6),
    max_leaves=25)
ROUTES = [("post", "/v1/analyze/comment"), ("post", "/v1/analyze/thread"),
          ("put", "/v1/threads/fuzz"), ("post", "/v1/threads/fuzz/comments")]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    app = create_app({"DATA_DIR": tmp_path_factory.mktemp("json"), "TESTING": True,
                      "AUTO_MIGRATE": True, "API_RATE_LIMIT": "100000/second"})
    return app.test_client(), new_key(app)[1]


@pytest.mark.parametrize(("method", "path"), ROUTES)
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=JSON)
def test_any_json_body_gets_an_answer_not_a_crash(api, method, path, body):
    client, headers = api
    response = getattr(client, method)(path, json=body, headers=headers)
    assert response.status_code < 500, response.get_json()
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["errors"]
