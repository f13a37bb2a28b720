"""Chunks in the database on each backend: a lapsed lease is taken over, a chunk written
twice is stored and counted once, a chunk that keeps failing fails its lines."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from service.jobs import store, submit
from service.store import reading, transaction
from service.store.job_models import Job, JobChunk, JobResult
from tests.helpers import new_key
from tests.jobs.conftest import corpus_lines, drain


def _job(app, lines: int) -> int:
    key_platform = new_key(app)[0]
    items = [(n, line.rstrip("\n"), None) for n, line in enumerate(corpus_lines(lines), 1)]
    with app.app_context():
        with reading() as session:
            from service.store.keys import authenticate

            platform_id = authenticate(session, key_platform)[0]
        body = submit(platform_id, "analyze", items, actor="test", model_version=None)
        with reading() as session:
            return store.find_job(session, None, body["id"]).id


def _counts(app, job_id: int) -> tuple:
    with app.app_context(), reading() as session:
        job = session.get(Job, job_id)
        rows = session.scalar(select(func.count()).where(JobResult.job_id == job_id))
        return job.status, job.done, job.errors, rows


def test_a_dead_workers_lapsed_chunk_is_taken_over(japp):
    job_id = _job(japp, 6)  # chunks of 4: 0 and 1
    with japp.app_context(), transaction() as session:
        assert store.start_chunk(session, job_id, 0, "dead-worker", lease=0.2) is not None
    with japp.app_context(), transaction() as session:  # a live lease is not taken
        assert store.start_chunk(session, job_id, 0, "other", lease=5) is None
    time.sleep(0.4)
    with japp.app_context(), transaction() as session:
        assert store.requeue_lapsed(session) == [(job_id, 0, 1)]
        assert store.requeue_lapsed(session) == []
    drain(japp)
    assert _counts(japp, job_id) == ("done", 6, 0, 6)
    with japp.app_context(), reading() as session:
        attempts = session.scalar(select(JobChunk.attempts).where(
            JobChunk.job_id == job_id, JobChunk.chunk == 0))
    assert attempts == 2


def test_a_chunk_written_twice_is_stored_and_counted_once(japp):
    job_id = _job(japp, 3)
    outcomes = [store.LineOutcome(i, output=f'{{"n": {i}}}') for i in range(3)]
    with japp.app_context(), transaction() as session:
        store.start_chunk(session, job_id, 0, "w1", lease=30)
    for attempt in range(2):
        with japp.app_context(), transaction() as session:
            written = store.finish_chunk(session, job_id, 0, outcomes, "v1")
        assert written is (attempt == 0)
    assert _counts(japp, job_id) == ("done", 3, 0, 3)


def test_a_chunk_that_keeps_failing_fails_its_lines(japp, monkeypatch):
    import service.jobs.runner as runner

    def broken(*_args):
        raise RuntimeError("analysis broke")

    monkeypatch.setattr(runner, "analyze_line", broken)
    job_id = _job(japp, 2)
    drain(japp)
    assert _counts(japp, job_id) == ("failed", 2, 2, 2)
    with japp.app_context(), reading() as session:
        lines = store.result_lines(session, job_id)
    assert all("started 3 times and never finished" in text for _, text in lines)
