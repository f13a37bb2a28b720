"""Platform isolation: another platform's threads behave exactly as if they did not exist."""

from __future__ import annotations

import pytest

from tests.helpers import corpus_thread, new_key


@pytest.fixture(scope="module")
def two_platforms(db_app):
    client = db_app.test_client()
    _, a = new_key(db_app)
    _, b = new_key(db_app)
    stored = client.put("/v1/threads/shared-id", json=corpus_thread(30), headers=a)
    assert stored.status_code == 201
    return client, a, b, stored.get_json()


def _without_id(problem: dict) -> dict:
    return {k: v for k, v in problem.items() if k != "detail"}


def test_read_answers_404_exactly_like_a_missing_thread(two_platforms):
    client, _, b, _ = two_platforms
    other = client.get("/v1/threads/shared-id", headers=b)
    missing = client.get("/v1/threads/no-such-id", headers=b)
    assert other.status_code == missing.status_code == 404
    assert _without_id(other.get_json()) == _without_id(missing.get_json())
    assert other.get_json()["detail"].replace("shared-id", "X") == \
        missing.get_json()["detail"].replace("no-such-id", "X")


def test_list_shows_only_the_callers_threads(two_platforms):
    client, a, b, _ = two_platforms
    assert [t["id"] for t in client.get("/v1/threads", headers=a).get_json()["threads"]] == \
        ["shared-id"]
    assert client.get("/v1/threads", headers=b).get_json() == {"threads": [],
                                                               "next_cursor": None}


def test_append_under_the_same_id_creates_the_callers_own_thread(two_platforms):
    client, a, b, original = two_platforms
    comment = {"id": "b1", "author": "bea", "text": "A separate conversation on our side."}
    response = client.post("/v1/threads/shared-id/comments", json={"comments": [comment]},
                           headers=b)
    assert response.status_code == 200
    assert [c["id"] for c in response.get_json()["comments"]] == ["b1"]
    assert client.get("/v1/threads/shared-id", headers=a).get_json() == original


def test_replace_under_the_same_id_never_touches_the_other_platform(two_platforms):
    client, a, b, original = two_platforms
    response = client.put("/v1/threads/shared-id", json=corpus_thread(31), headers=b)
    assert response.status_code in (200, 201)
    assert client.get("/v1/threads/shared-id", headers=a).get_json() == original


def test_a_revoked_key_stops_working_at_once(db_app):
    from service.store import transaction
    from service.store.keys import revoke_key

    client = db_app.test_client()
    key, headers = new_key(db_app)
    assert client.get("/v1/threads", headers=headers).status_code == 200
    with db_app.app_context(), transaction() as session:
        assert revoke_key(session, key.split("_")[1])
    assert client.get("/v1/threads", headers=headers).status_code == 401
