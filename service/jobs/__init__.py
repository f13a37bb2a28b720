"""Bulk jobs (docs/jobs.md): NDJSON threads to analyse, or a platform's stored threads to
score again, split into chunks that workers run (RQ on Redis, or the database queue).

The API and the CLI call ``submit``; workers are ``thread-health worker`` processes, or,
with no Redis configured, a thread of each service process (``start_embedded_worker``).
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import select

from ..store import transaction
from ..store.models import Thread
from . import store
from .queues import DatabaseWorker, dispatch
from .runner import ChunkRunner
from .settings import JobSettings, from_config

KINDS = ("analyze", "rescore")


class QueueUnavailable(Exception):
    """The job could not be handed to the queue (Redis did not answer)."""


def init_app(app: Flask) -> None:
    """Check the job settings at start-up (a bad value stops the service, naming it)."""
    app.extensions["jobs"] = config = from_config(app.config)
    app.extensions.setdefault("body_limits", {})["api.submit_job"] = config.max_body


def settings() -> JobSettings:
    return current_app.extensions["jobs"]


def start_embedded_worker(app: Flask):
    """With no Redis configured, run chunks from a thread of this process; the worker, or
    None when RQ workers do it."""

    config = app.extensions["jobs"]
    if config.redis:
        return None
    worker = DatabaseWorker(ChunkRunner(app, config)).start()
    app.extensions["jobs_worker"] = worker
    return worker


def rescore_items(session, platform_id: int, since: datetime | None,
                  flagged: bool | None) -> list[tuple]:
    """The platform's stored threads to score again, most recently updated first."""
    query = (select(Thread.id).where(Thread.platform_id == platform_id,
                                     Thread.level.is_not(None))
             .order_by(Thread.updated_at.desc(), Thread.id.desc()))
    if since is not None:
        query = query.where(Thread.updated_at >= since)
    if flagged is not None:
        query = query.where(Thread.flagged.is_(flagged))
    return [(n, None, tid) for n, tid in enumerate(session.scalars(query), 1)]


def submit(platform_id: int, kind: str, items: list[tuple] | None, *, actor: str,
           model_version: str | None, rescore: dict | None = None) -> dict:
    """Create a job and queue its chunks; its description. ``items`` are (lineno, body,
    None) for an analysis; a re-score selects the stored threads from ``rescore``."""
    from redis.exceptions import RedisError


    config = settings()
    with transaction() as session:
        if kind == "rescore":
            items = rescore_items(session, platform_id, (rescore or {}).get("since"),
                                  (rescore or {}).get("flagged"))
        job = store.create_job(session, platform_id, kind, items, chunk_size=config.chunk,
                               model_version=model_version, actor=actor,
                               params=_params(rescore) if kind == "rescore" else None)
        body, job_id, chunks = store.describe(job), job.id, job.chunks
    try:
        dispatch(config, [(job_id, c, 0) for c in range(chunks)])
    except RedisError as exc:
        with transaction() as session:
            job = session.get(store.Job, job_id)
            store.cancel(session, job)
            job.status = "failed"
        raise QueueUnavailable(f"the job queue did not answer ({type(exc).__name__})") from exc
    return body


def _params(rescore: dict | None) -> dict:
    rescore = rescore or {}
    since = rescore.get("since")
    return {"since": since.isoformat() if since else None, "flagged": rescore.get("flagged")}
