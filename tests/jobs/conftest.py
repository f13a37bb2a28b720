"""Fixtures of the job tests: apps with the bundled model on each database, the database
queue (no Redis) unless a test sets one, and small chunks so a few threads make several."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest

from service import create_app
from tests.conftest import dispose, fresh_schema

CORPUS = "data/samples/hard_cases.jsonl"


@contextmanager
def jobs_app(tmp_path, backend: str, **config):
    """An app on ``backend`` (a schema of its own on PostgreSQL), model loaded."""
    settings = {"DATA_DIR": tmp_path, "TESTING": True, "AUTO_MIGRATE": True,
                "JOB_CHUNK": 4, "JOB_QUEUE": "", "API_RATE_LIMIT": "100000/second",
                **config}
    if backend == "postgresql":
        with fresh_schema(f"th_jobs_{uuid.uuid4().hex[:12]}") as url:
            app = create_app({**settings, "DATABASE_URL": url})
            yield app
            dispose(app)
        return
    app = create_app(settings)
    yield app
    dispose(app)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def japp(request, tmp_path_factory):
    with jobs_app(tmp_path_factory.mktemp(f"jobs-{request.param}"), request.param) as app:
        yield app


def corpus_lines(limit: int | None = None) -> list[str]:
    with open(CORPUS, encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip()]
    return lines[:limit] if limit else lines


def drain(app) -> None:
    """Run every due chunk in this process, as the embedded worker thread does."""
    from service.jobs.queues import DatabaseWorker
    from service.jobs.runner import ChunkRunner

    DatabaseWorker(ChunkRunner(app, app.extensions["jobs"])).run(burst=True)
