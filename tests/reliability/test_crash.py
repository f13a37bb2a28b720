"""Crash safety: kill -9 the server during a bulk ingest, restart, and check that every
thread is either stored whole with its analysis or absent, and that the client's retries
complete the ingest without duplicates."""

from __future__ import annotations

import signal
import threading
from http.client import HTTPException

import pytest
from sqlalchemy import create_engine, text

from tests.helpers import Server, corpus_thread, http

THREADS = 40


def _database_state(url: str, platform: str) -> dict[str, tuple[int, int, int]]:
    """thread id -> (stored comments, comment_count, comments covered by latest analysis)
    for one platform's threads (the PostgreSQL schema is shared with other tests)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("""
            SELECT t.external_id,
                   (SELECT COUNT(*) FROM comments c WHERE c.thread_id = t.id),
                   t.comment_count,
                   COALESCE((SELECT a.comment_count FROM analyses a WHERE a.thread_id = t.id
                             ORDER BY a.id DESC LIMIT 1), -1)
            FROM threads t JOIN platforms p ON p.id = t.platform_id
            WHERE p.name = :platform"""), {"platform": platform}).all()
    engine.dispose()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_kill_9_during_bulk_ingest_loses_nothing_and_retries_complete(backend, tmp_path,
                                                                      request):
    env = {}
    db_url = f"sqlite:///{tmp_path / 'thread-health.sqlite3'}"
    if backend == "postgresql":
        db_url = request.getfixturevalue("pg_url")
        env["DATABASE_URL"] = db_url
    server = Server(tmp_path, env)
    platform = f"crash-{backend}-{tmp_path.name}"
    key = server.cli("keys", "create", "--platform", platform).strip().splitlines()[-1]
    threads = {f"bulk-{i}": corpus_thread(40 + i) for i in range(THREADS)}
    acknowledged: list[str] = []
    server.start()
    try:
        def ingest():
            for tid, body in threads.items():
                try:
                    status, _, _ = http("PUT", f"{server.url}/v1/threads/{tid}", body, key,
                                        timeout=30)
                except (OSError, HTTPException):
                    return  # the server died under us (before or while it answered)
                if status in (200, 201):
                    acknowledged.append(tid)

        client = threading.Thread(target=ingest)
        client.start()
        while len(acknowledged) < 8 and client.is_alive():
            client.join(timeout=0.05)
        server.kill(signal.SIGKILL)
        client.join(timeout=60)
    finally:
        server.kill()
    assert 8 <= len(acknowledged) < THREADS, "the crash should land mid-ingest"

    state = _database_state(db_url, platform)
    for tid, (stored, count, analysed) in state.items():
        expected = len(threads[tid]["comments"])
        assert stored == count == analysed == expected, (tid, stored, count, analysed)
    assert set(acknowledged) <= set(state)

    server.start()
    try:
        for tid, body in threads.items():  # the client retries everything
            status, result, _ = http("PUT", f"{server.url}/v1/threads/{tid}", body, key)
            assert status in (200, 201)
            assert len(result["comments"]) == len(body["comments"])
        extra = {"comments": [{"id": "after-crash", "author": "zoe",
                               "text": "Back online, thanks for waiting."}]}
        for _ in range(2):  # an append retried twice stores one comment
            status, _, _ = http("POST", f"{server.url}/v1/threads/bulk-0/comments", extra,
                                key)
            assert status == 200
    finally:
        server.kill()
    state = _database_state(db_url, platform)
    assert set(state) == set(threads)
    for tid, (stored, count, analysed) in state.items():
        expected = len(threads[tid]["comments"]) + (tid == "bulk-0")
        assert stored == count == analysed == expected
    log = server.log.read_text()
    # the secret is everything after "th_<prefix>_" (it may itself contain "_")
    assert key not in log and key.split("_", 2)[-1] not in log
