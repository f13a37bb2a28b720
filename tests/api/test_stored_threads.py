"""Stored threads through the platform API (PUT, append, GET, listing), on SQLite and on a
real PostgreSQL server; tests/store/ tests the store itself, without HTTP."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from service.store import reading
from service.store.models import Analysis, AuditEntry, Comment, Thread
from tests.helpers import corpus_thread, new_key


@pytest.fixture(scope="module")
def client(db_app):
    return db_app.test_client()


@pytest.fixture
def headers(db_app):
    return new_key(db_app)[1]


def _count(app, model, *where):
    with app.app_context(), reading() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_put_stores_then_get_returns_the_same_analysis(client, headers):
    thread = corpus_thread(0)
    created = client.put("/v1/threads/t-put", json=thread, headers=headers)
    assert created.status_code == 201
    body = created.get_json()
    assert body["id"] == "t-put" and len(body["comments"]) == len(thread["comments"])
    assert client.get("/v1/threads/t-put", headers=headers).get_json() == body
    again = client.put("/v1/threads/t-put", json=thread, headers=headers)
    assert again.status_code == 200


def test_put_replaces_the_whole_thread_and_keeps_the_score_history(db_app, client, headers):
    first, second = corpus_thread(1), corpus_thread(2)
    client.put("/v1/threads/t-rep", json=first, headers=headers)
    response = client.put("/v1/threads/t-rep", json=second, headers=headers)
    ids = [c["id"] for c in response.get_json()["comments"]]
    assert ids == [c["id"] for c in second["comments"]]
    with db_app.app_context(), reading() as session:
        thread = session.scalar(select(Thread).where(Thread.external_id == "t-rep"))
        stored = session.scalar(select(func.count()).where(Comment.thread_id == thread.id))
        history = session.scalars(select(Analysis.comment_count).where(
            Analysis.thread_id == thread.id).order_by(Analysis.id)).all()
        replaced = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "thread.replace", AuditEntry.target == "t-rep"))
    assert stored == len(second["comments"])
    assert history == [len(first["comments"]), len(second["comments"])]
    assert replaced == 1


def test_a_rejected_replacement_leaves_the_stored_thread_untouched(client, headers):
    thread = corpus_thread(3)
    before = client.put("/v1/threads/t-keep", json=thread, headers=headers).get_json()
    bad = {"comments": [*thread["comments"], {"id": "z", "author": "a", "text": "",
                                              "reply_to": None}]}
    assert client.put("/v1/threads/t-keep", json=bad, headers=headers).status_code == 422
    assert client.get("/v1/threads/t-keep", headers=headers).get_json() == before


def test_append_is_idempotent_and_returns_the_same_result(db_app, client, headers):
    comments = corpus_thread(4)["comments"][:6]
    first = client.post("/v1/threads/t-idem/comments", json={"comments": comments},
                        headers=headers)
    retry = client.post("/v1/threads/t-idem/comments", json={"comments": comments},
                        headers=headers)
    assert first.status_code == retry.status_code == 200
    assert first.headers["X-Comments-Added"] == "6" and retry.headers["X-Comments-Added"] == "0"
    assert retry.get_json() == first.get_json()
    with db_app.app_context(), reading() as session:
        thread = session.scalar(select(Thread).where(Thread.external_id == "t-idem"))
        assert session.scalar(select(func.count()).where(Comment.thread_id == thread.id)) == 6
        assert session.scalar(select(func.count()).where(Analysis.thread_id == thread.id)) == 1


def test_incremental_append_equals_analysing_the_whole_thread(client, headers):
    comments = corpus_thread(5)["comments"]
    half = len(comments) // 2
    client.post("/v1/threads/t-inc/comments", json={"comments": comments[:half]},
                headers=headers)
    incremental = client.post("/v1/threads/t-inc/comments", json={"comments": comments},
                              headers=headers).get_json()
    whole = client.put("/v1/threads/t-whole", json={"comments": comments},
                       headers=headers).get_json()
    assert incremental["comments"] == whole["comments"]
    assert incremental["health"] == whole["health"]


def test_append_with_changed_content_for_a_stored_id_is_409(client, headers):
    comments = corpus_thread(6)["comments"][:2]
    client.post("/v1/threads/t-409/comments", json={"comments": comments}, headers=headers)
    changed = [{**comments[0], "text": "something else entirely"}]
    response = client.post("/v1/threads/t-409/comments", json={"comments": changed},
                           headers=headers)
    assert response.status_code == 409
    assert response.get_json()["errors"][0]["field"] == "comments[0].id"


def test_append_reply_to_an_unknown_comment_is_422_and_stores_nothing(db_app, client, headers):
    comments = corpus_thread(7)["comments"][:2]
    client.post("/v1/threads/t-422/comments", json={"comments": comments}, headers=headers)
    batch = [{"id": "new1", "author": "x", "text": "fine, thanks"},
             {"id": "new2", "author": "y", "text": "I agree", "reply_to": "ghost"}]
    response = client.post("/v1/threads/t-422/comments", json={"comments": batch},
                           headers=headers)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "comments[1].reply_to"
    assert _count(db_app, Comment, Comment.external_id == "new1") == 0


def test_flagged_list_is_most_urgent_first_and_pages_with_a_cursor(client, headers):
    for i in range(8, 32):  # 24 corpus threads, of which more than a page are flagged
        client.put(f"/v1/threads/list-{i}", json=corpus_thread(i), headers=headers)
    seen, cursor = [], None
    while True:
        url = "/v1/threads?flagged=true&limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=headers).get_json()
        assert len(page["threads"]) <= 3
        seen.extend(page["threads"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    everything = client.get("/v1/threads?limit=100", headers=headers).get_json()["threads"]
    flagged = [t for t in everything if t["flagged"]]
    assert [t["id"] for t in seen] == [t["id"] for t in flagged]
    assert len({t["id"] for t in seen}) == len(seen) > 3
    rank = {"unhealthy": 0, "at_risk": 1, "healthy": 2}
    keys = [(rank[t["health"]["level"]], t["health"]["score"]) for t in everything]
    assert keys == sorted(keys)
    assert all(t["health"]["flags"] for t in seen)


def test_twenty_concurrent_appenders_store_every_comment_once(db_app, headers):
    comments = [{"id": f"k{i}", "author": f"user{i % 7}", "text": f"point {i}: I think the "
                 f"schedule should move to week {i % 5}, what do you think?"} for i in range(60)]
    batches = [comments[k * 2:k * 2 + 20] for k in range(20)]  # overlapping windows
    results, errors = [], []

    def append(batch):
        try:
            client = db_app.test_client()
            response = client.post("/v1/threads/t-conc/comments", json={"comments": batch},
                                   headers=headers)
            results.append(response)
        except Exception as exc:  # a crash in a thread must fail the test, not vanish
            errors.append(exc)

    workers = [threading.Thread(target=append, args=(b,)) for b in batches]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert not errors
    assert [r.status_code for r in results] == [200] * 20
    added = sum(int(r.headers["X-Comments-Added"]) for r in results)
    expected = {c["id"] for b in batches for c in b}
    assert added == len(expected)
    with db_app.app_context(), reading() as session:
        thread = session.scalar(select(Thread).where(Thread.external_id == "t-conc"))
        stored = session.scalars(select(Comment.external_id).where(
            Comment.thread_id == thread.id)).all()
        last = session.scalar(select(Analysis).where(Analysis.thread_id == thread.id)
                              .order_by(Analysis.id.desc()).limit(1))
    assert sorted(stored) == sorted(expected)
    assert last.comment_count == len(expected) == thread.comment_count
    final = db_app.test_client().get("/v1/threads/t-conc", headers=headers).get_json()
    assert {c["id"] for c in final["comments"]} == expected


def test_a_retried_append_after_an_analysis_failure_stores_nothing_twice(db_app, headers,
                                                                      monkeypatch):
    """If the analysis fails mid-request, the comments are rolled back with it."""
    from service.scoring.engine import Engine

    client = db_app.test_client()
    comments = corpus_thread(20)["comments"][:4]

    def broken(self, *args, **kwargs):
        raise RuntimeError("analysis failed")

    monkeypatch.setattr(Engine, "extend", broken)
    assert client.post("/v1/threads/t-fail/comments", json={"comments": comments},
                       headers=headers).status_code == 500
    monkeypatch.undo()
    assert _count(db_app, Thread, Thread.external_id == "t-fail") == 0
    response = client.post("/v1/threads/t-fail/comments", json={"comments": comments},
                           headers=headers)
    assert response.headers["X-Comments-Added"] == "4"
