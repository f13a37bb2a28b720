"""Limits of stored threads, the opt-in short answer of an append, reasons in ?lang."""

from __future__ import annotations

import pytest

from service.config import ConfigError, load_config
from tests.helpers import corpus_thread, new_key


@pytest.fixture
def api(db_app):
    """A client of the app with the model (each database) and a fresh platform's headers."""
    return db_app.test_client(), new_key(db_app)[1]


def _comments(n: int, start: int = 0) -> list[dict]:
    return [{"id": f"c{i}", "author": f"user{i % 3}",
             "text": f"Comment number {i}: I tried it and it worked for me."}
            for i in range(start, start + n)]


def test_an_append_past_the_thread_limit_is_refused_naming_the_field(db_app, api,
                                                                      monkeypatch):
    client, headers = api
    monkeypatch.setitem(db_app.config, "MAX_COMMENTS_PER_THREAD", 5)
    assert client.put("/v1/threads/t-lim", json={"comments": _comments(4)},
                      headers=headers).status_code == 201
    refused = client.post("/v1/threads/t-lim/comments", json={"comments": _comments(2, 4)},
                          headers=headers)
    assert refused.status_code == 422
    assert refused.content_type == "application/problem+json"
    error = refused.get_json()["errors"][0]
    assert error["field"] == "comments"
    assert "at most 5 comments" in error["message"] and "would make 6" in error["message"]
    kept = client.get("/v1/threads/t-lim", headers=headers).get_json()
    assert [c["id"] for c in kept["comments"]] == [f"c{i}" for i in range(4)]
    fits = client.post("/v1/threads/t-lim/comments", json={"comments": _comments(1, 4)},
                       headers=headers)
    assert fits.status_code == 200 and fits.headers["X-Comments-Added"] == "1"


def test_a_put_past_the_thread_limit_is_refused(db_app, api, monkeypatch):
    client, headers = api
    monkeypatch.setitem(db_app.config, "MAX_COMMENTS_PER_THREAD", 5)
    refused = client.put("/v1/threads/t-lim-put", json={"comments": _comments(6)},
                         headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "comments"
    assert client.get("/v1/threads/t-lim-put", headers=headers).status_code == 404


def test_the_per_request_limit_is_the_configured_one(db_app, api, monkeypatch):
    client, headers = api
    monkeypatch.setitem(db_app.config, "MAX_COMMENTS_PER_REQUEST", 3)
    for call in (client.put, lambda url, **kw: client.post(url + "/comments", **kw)):
        refused = call("/v1/threads/t-req", json={"comments": _comments(4)}, headers=headers)
        assert refused.status_code == 422
        error = refused.get_json()["errors"][0]
        assert error["field"] == "comments" and "at most 3 comments per request" in error[
            "message"]


@pytest.mark.parametrize(("value", "ok"), [("50", True), ("0", False), ("-3", False),
                                           ("many", False), ("2.5", False)])
def test_the_thread_limit_from_the_environment_must_be_a_positive_integer(tmp_path, value, ok):
    environ = {"THREAD_HEALTH_MAX_COMMENTS_PER_THREAD": value,
               "THREAD_HEALTH_DATA_DIR": str(tmp_path)}
    if ok:
        assert load_config(environ=environ)["MAX_COMMENTS_PER_THREAD"] == int(value)
    else:
        with pytest.raises(ConfigError, match="MAX_COMMENTS_PER_THREAD"):
            load_config(environ=environ)


def test_comments_sent_answers_with_the_request_s_comments_only(api):
    client, headers = api
    thread = corpus_thread(5)
    client.put("/v1/threads/t-sent", json=thread, headers=headers)
    new = {"id": "new-1", "author": "zoe", "text": "Thanks, that answers my question."}
    sent = client.post("/v1/threads/t-sent/comments?comments=sent",
                       json={"comments": [thread["comments"][0], new]}, headers=headers)
    assert sent.status_code == 200 and sent.headers["X-Comments-Added"] == "1"
    body = sent.get_json()
    assert [c["id"] for c in body["comments"]] == [thread["comments"][0]["id"], "new-1"]
    whole = client.get("/v1/threads/t-sent", headers=headers).get_json()
    assert len(whole["comments"]) == len(thread["comments"]) + 1
    assert body["comments"] == [whole["comments"][0], whole["comments"][-1]]
    assert body["health"] == whole["health"]
    retry = client.post("/v1/threads/t-sent/comments?comments=sent",
                        json={"comments": [thread["comments"][0], new]}, headers=headers)
    assert retry.get_json() == body and retry.headers["X-Comments-Added"] == "0"
    default = client.post("/v1/threads/t-sent/comments", json={"comments": [new]},
                          headers=headers)
    assert default.get_json()["comments"] == whole["comments"]


@pytest.mark.parametrize(("query", "field"), [
    ("comments=none", "comments"), ("comments=", "comments"), ("comments=ALL", "comments"),
    ("lang=de", "lang"),
])
def test_bad_query_parameters_of_an_append(api, query, field):
    client, headers = api
    response = client.post(f"/v1/threads/t-badq/comments?{query}",
                           json={"comments": _comments(1)}, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == field


def test_stored_reasons_are_read_in_the_language_asked(api):
    client, headers = api
    thread = {"comments": [
        {"id": "a1", "author": "shop1", "text": "Check out my store, link in bio!! "
                                               "https://example.com/shop"},
        {"id": "a2", "author": "shop2", "text": "Best prices on gold, DM me now!! "
                                               "https://example.com/gold"},
        {"id": "a3", "author": "shop3", "text": "Follow my page for daily deals!! "
                                               "https://example.com/deals"}]}
    stored = client.put("/v1/threads/t-lang?lang=en", json=thread, headers=headers).get_json()
    codes = stored["health"]["reason_codes"]
    assert [c["code"] for c in codes] == stored["health"]["flags"]
    french = client.get("/v1/threads/t-lang?lang=fr", headers=headers).get_json()["health"]
    english = client.get("/v1/threads/t-lang", headers=headers).get_json()["health"]
    assert english["reasons"] == stored["health"]["reasons"]
    assert french["reason_codes"] == codes
    assert french["reasons"] != english["reasons"]
    assert any("commentaires" in r for r in french["reasons"]), french["reasons"]
