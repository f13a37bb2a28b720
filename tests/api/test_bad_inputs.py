"""A table of bad inputs per endpoint: documented status, problem+json naming the field."""

from __future__ import annotations

import io

import pytest

from tests.helpers import HUGE_CURSOR, HUGE_ID_CURSOR, NESTED_CURSOR, new_key


def _comment(i: int, **extra) -> dict:
    return {"id": f"c{i}", "author": f"a{i}", "text": f"comment number {i}", **extra}


GOOD_THREAD = {"comments": [_comment(1), _comment(2, reply_to="c1")]}
LONG = "x" * 10_001
DEEP = b"[" * 1_000 + b"]" * 1_000  # RecursionError in the JSON decoder
JUST_TOO_DEEP = b'{"text": ' + b"[" * 64 + b"]" * 64 + b"}"  # 65 levels, the limit is 64


@pytest.fixture(scope="module")
def api(model_free_app):
    _, headers = new_key(model_free_app)
    return model_free_app.test_client(), headers


def thread_with(**comment_changes) -> dict:
    return {"comments": [_comment(1, **comment_changes)]}


# (method, path, body or raw bytes, expected status, field named in errors)
CASES = [
    # POST /v1/analyze/comment
    ("post", "/v1/analyze/comment", {}, 422, "text"),
    ("post", "/v1/analyze/comment", {"text": ""}, 422, "text"),
    ("post", "/v1/analyze/comment", {"text": "   \n "}, 422, "text"),
    ("post", "/v1/analyze/comment", {"text": LONG}, 422, "text"),
    ("post", "/v1/analyze/comment", {"text": 42}, 422, "text"),
    ("post", "/v1/analyze/comment", {"text": "ok", "language": "de"}, 422, "language"),
    ("post", "/v1/analyze/comment", ["text"], 422, "body"),
    ("post", "/v1/analyze/comment", b"{not json", 400, "body"),
    ("post", "/v1/analyze/comment", b"text=hello", 415, "Content-Type"),
    ("post", "/v1/analyze/comment", DEEP, 400, "body"),
    ("post", "/v1/analyze/comment", JUST_TOO_DEEP, 400, "body"),
    # POST /v1/analyze/thread
    ("post", "/v1/analyze/thread", {}, 422, "comments"),
    ("post", "/v1/analyze/thread", {"comments": []}, 422, "comments"),
    ("post", "/v1/analyze/thread", {"comments": "c1"}, 422, "comments"),
    ("post", "/v1/analyze/thread", {"comments": [_comment(i) for i in range(2001)]}, 422,
     "comments"),
    ("post", "/v1/analyze/thread", {"comments": [42]}, 422, "comments[0]"),
    ("post", "/v1/analyze/thread", thread_with(id=None), 422, "comments[0].id"),
    ("post", "/v1/analyze/thread", thread_with(id="i" * 201), 422, "comments[0].id"),
    ("post", "/v1/analyze/thread", thread_with(author=""), 422, "comments[0].author"),
    ("post", "/v1/analyze/thread", thread_with(text=""), 422, "comments[0].text"),
    ("post", "/v1/analyze/thread", thread_with(text=LONG), 422, "comments[0].text"),
    ("post", "/v1/analyze/thread", thread_with(reply_to="c9"), 422, "comments[0].reply_to"),
    ("post", "/v1/analyze/thread", thread_with(language="es"), 422, "comments[0].language"),
    ("post", "/v1/analyze/thread", thread_with(created_at="yesterday"), 422,
     "comments[0].created_at"),
    ("post", "/v1/analyze/thread", {"comments": [_comment(1), _comment(1)]}, 422,
     "comments[1].id"),
    ("post", "/v1/analyze/thread", {**GOOD_THREAD, "language": "FR"}, 422, "language"),
    ("post", "/v1/analyze/thread", {**GOOD_THREAD, "title": 7}, 422, "title"),
    ("post", "/v1/analyze/thread?lang=de", GOOD_THREAD, 400, "lang"),
    ("post", "/v1/analyze/thread", b"[", 400, "body"),
    ("post", "/v1/analyze/thread", DEEP, 400, "body"),
    ("post", "/v1/analyze/thread", b'{"comments": [' + DEEP + b"]}", 400, "body"),
    # PUT /v1/threads/{id}
    ("put", "/v1/threads/t1", {**GOOD_THREAD, "id": "t2"}, 422, "id"),
    ("put", "/v1/threads/" + "t" * 201, GOOD_THREAD, 422, "id"),
    ("put", "/v1/threads/t1", {"comments": [_comment(1, reply_to="c0")]}, 422,
     "comments[0].reply_to"),
    ("put", "/v1/threads/t1", {"id": "t1"}, 422, "comments"),
    ("put", "/v1/threads/t1", "a thread", 422, "body"),
    ("put", "/v1/threads/t1?lang=xx", GOOD_THREAD, 400, "lang"),
    ("put", "/v1/threads/t1", DEEP, 400, "body"),
    # POST /v1/threads/{id}/comments
    ("post", "/v1/threads/t1/comments", {"comment": _comment(1)}, 422, "comments"),
    ("post", "/v1/threads/t1/comments", {"comments": [_comment(1, text=None)]}, 422,
     "comments[0].text"),
    ("post", "/v1/threads/t1/comments", {"comments": [_comment(1)], "language": "it"}, 422,
     "language"),
    ("post", "/v1/threads/t1/comments", [_comment(1)], 422, "body"),
    ("post", "/v1/threads/" + "t" * 201 + "/comments", {"comments": [_comment(1)]}, 422, "id"),
    ("post", "/v1/threads/t1/comments", DEEP, 400, "body"),
    # GET /v1/threads
    ("get", "/v1/threads?flagged=maybe", None, 400, "flagged"),
    ("get", "/v1/threads?limit=0", None, 400, "limit"),
    ("get", "/v1/threads?limit=101", None, 400, "limit"),
    ("get", "/v1/threads?limit=ten", None, 400, "limit"),
    ("get", "/v1/threads?limit=%C2%B2", None, 400, "limit"),  # "²" is a digit to str.isdigit
    ("get", "/v1/threads?cursor=not-a-cursor", None, 400, "cursor"),
    ("get", "/v1/threads?cursor=W1sxXV0", None, 400, "cursor"),
    ("get", f"/v1/threads?cursor={HUGE_CURSOR}", None, 400, "cursor"),
    ("get", f"/v1/threads?cursor={HUGE_ID_CURSOR}", None, 400, "cursor"),
    ("get", f"/v1/threads?cursor={NESTED_CURSOR}", None, 400, "cursor"),
]


def _send(client, method, path, body, headers):
    if isinstance(body, bytes):
        content_type = "text/plain" if body.startswith(b"text=") else "application/json"
        return getattr(client, method)(path, data=body, headers={**headers,
                                                                  "Content-Type": content_type})
    if body is None:
        return getattr(client, method)(path, headers=headers)
    return getattr(client, method)(path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path", "body", "status", "field"), CASES,
                         ids=[f"{m} {p[:40]} -> {s} {f}" for m, p, _, s, f in CASES])
def test_bad_input_is_a_problem_naming_the_field(api, method, path, body, status, field):
    client, headers = api
    response = _send(client, method, path, body, headers)
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    assert field in [e["field"] for e in problem["errors"]], problem


@pytest.mark.parametrize("path", ["/v1/analyze/comment", "/v1/analyze/thread",
                                  "/v1/threads/t1/comments"])
def test_json_nested_past_the_limit_is_a_400_naming_it(api, path):
    client, headers = api
    response = client.post(path, data=DEEP, headers={**headers,
                                                      "Content-Type": "application/json"})
    assert response.status_code == 400
    assert "64 levels" in response.get_json()["errors"][0]["message"]


def test_json_nested_up_to_the_limit_is_read(api):
    client, headers = api
    body = b'{"text": "hello there", "extra": ' + b"[" * 63 + b"]" * 63 + b"}"
    response = client.post("/v1/analyze/comment", data=body,
                           headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 503  # valid input; no model in this app


@pytest.mark.parametrize(("method", "path"), [
    ("post", "/v1/analyze/comment"), ("post", "/v1/analyze/thread"),
    ("put", "/v1/threads/t1"), ("post", "/v1/threads/t1/comments"),
    ("get", "/v1/threads/t1"), ("get", "/v1/threads"), ("get", "/v1/models/current"),
])
@pytest.mark.parametrize("authorization", [None, "Bearer", "Basic dXNlcjpwYXNz",
                                           "Bearer th_00000000_unknown"])
def test_every_v1_route_needs_a_valid_key(api, method, path, authorization):
    client, _ = api
    headers = {"Authorization": authorization} if authorization else {}
    response = getattr(client, method)(path, json=GOOD_THREAD, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["errors"][0]["field"] == "Authorization"


def test_body_over_2_mb_is_413(api):
    client, headers = api
    body = b'{"text": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    response = client.post("/v1/analyze/comment", data=body,
                           headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.get_json()["errors"][0]["field"] == "body"


def _chunked(client, headers, body: bytes):
    """POST ``body`` as a server hands over a chunked one: no Content-Length."""
    return client.post("/v1/analyze/comment", input_stream=io.BytesIO(body),
                       headers={**headers, "Content-Type": "application/json",
                                "Transfer-Encoding": "chunked"},
                       environ_overrides={"wsgi.input_terminated": True})


@pytest.mark.parametrize("extra", [1, 1024 * 1024])
def test_chunked_body_over_2_mb_is_413(api, extra):
    client, headers = api
    body = b'{"text": "' + b"a" * (2 * 1024 * 1024 - 12 + extra) + b'"}'
    response = _chunked(client, headers, body)
    assert response.status_code == 413
    assert response.get_json()["errors"][0]["field"] == "body"


def test_chunked_body_at_the_limit_is_read(api):
    client, headers = api
    body = b'{"text": "' + b"a" * (2 * 1024 * 1024 - 12) + b'"}'
    assert len(body) == 2 * 1024 * 1024
    response = _chunked(client, headers, body)
    assert response.status_code == 422  # read whole: the text is too long, not the body
    assert response.get_json()["errors"][0]["field"] == "text"


def test_unknown_thread_is_404(api):
    client, headers = api
    response = client.get("/v1/threads/never-stored", headers=headers)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/v1/analyze/comment", {"text": "hello there"}),
    ("post", "/v1/analyze/thread", GOOD_THREAD),
    ("put", "/v1/threads/t1", GOOD_THREAD),
    ("post", "/v1/threads/t1/comments", GOOD_THREAD),
    ("get", "/v1/models/current", None),
])
def test_valid_request_without_a_model_is_503_with_retry_after(api, method, path, body):
    client, headers = api
    response = _send(client, method, path, body, headers)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "No model is loaded" in response.get_json()["detail"]
