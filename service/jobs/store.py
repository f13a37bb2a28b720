"""Jobs in the database: create, describe, cancel; take, renew and finish chunks.

Every function takes the caller's session and leaves the commit to it. A chunk moves
queued → running (a worker's lease) → done, failed or cancelled. ``finish_chunk`` locks the
job row, so the chunks of a job are written one after the other and the last one closes
the job; results are upserted on (job, line), so a chunk written twice (a worker thought
dead finishing after all) replaces its rows and is counted once.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..store.job_models import FINISHED, Job, JobChunk, JobInput, JobResult
from ..store.models import iso, utcnow

RESULT_PAGE = 500  # result rows read per query while streaming


@dataclass(frozen=True)
class Work:
    """A chunk a worker holds: its job, kind, the model the job asks for, its input lines
    as (line, lineno, body, thread_id), and how many times it was started (this one too)."""

    job_id: int
    chunk: int
    kind: str
    model_version: str | None
    items: list[tuple[int, int, str | None, int | None]]
    attempts: int = 1


@dataclass(frozen=True)
class LineOutcome:
    line: int
    output: str | None = None
    error: str | None = None


def _insert(session: Session):
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql"
            else sqlite.insert)


def create_job(session: Session, platform_id: int, kind: str, items: list[tuple],
               *, chunk_size: int, model_version: str | None, actor: str,
               params: dict | None = None) -> Job:
    """A queued job over ``items`` ((lineno, body, thread_id) each), split into chunks."""
    now = utcnow()
    chunks = (len(items) + chunk_size - 1) // chunk_size
    job = Job(public_id="job_" + secrets.token_urlsafe(12), platform_id=platform_id,
              kind=kind, status="queued" if items else "done", total=len(items), done=0,
              errors=0, chunks=chunks, chunks_left=chunks, model_version=model_version,
              params=json.dumps(params) if params is not None else None, created_by=actor,
              created_at=now, finished_at=None if items else now)
    session.add(job)
    session.flush()
    rows = [{"job_id": job.id, "line": i, "lineno": lineno, "body": body,
             "thread_id": thread_id} for i, (lineno, body, thread_id) in enumerate(items)]
    for start in range(0, len(rows), 1000):
        session.execute(_insert(session)(JobInput), rows[start:start + 1000])
    if chunks:  # (an empty list would insert one row of defaults)
        session.execute(_insert(session)(JobChunk), [
            {"job_id": job.id, "chunk": c, "first_line": c * chunk_size,
             "last_line": min(len(items), (c + 1) * chunk_size) - 1, "status": "queued",
             "attempts": 0} for c in range(chunks)])
    return job


def find_job(session: Session, platform_id: int | None, public_id: str, *,
             lock: bool = False) -> Job | None:
    """The job ``public_id`` of ``platform_id`` (any platform's when None)."""
    query = select(Job).where(Job.public_id == public_id)
    if platform_id is not None:
        query = query.where(Job.platform_id == platform_id)
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def describe(job: Job) -> dict:
    """A job in the contract's shape."""
    return {"id": job.public_id, "kind": job.kind, "status": job.status, "done": job.done,
            "total": job.total, "errors": job.errors, "model_version": job.model_version,
            "created_at": iso(job.created_at),
            "started_at": iso(job.started_at) if job.started_at else None,
            "finished_at": iso(job.finished_at) if job.finished_at else None}


def cancel(session: Session, job: Job) -> bool:
    """Cancel a job that has not finished (True), its waiting chunks with it."""
    if job.status in FINISHED:
        return job.status == "cancelled"
    job.status, job.finished_at = "cancelled", utcnow()
    session.execute(update(JobChunk).where(JobChunk.job_id == job.id,
                                           JobChunk.status == "queued")
                    .values(status="cancelled"))
    return True


def _lapsed(now):
    return (JobChunk.status == "running") & (JobChunk.lease_until < now)


def next_chunk(session: Session) -> tuple[int, int] | None:
    """A chunk to take in the database queue: queued, or running under a lapsed lease
    (a read: ``start_chunk`` takes it, or finds that another worker was first)."""
    now = utcnow()
    row = session.execute(select(JobChunk.job_id, JobChunk.chunk)
                          .where(or_(JobChunk.status == "queued", _lapsed(now)))
                          .order_by(JobChunk.job_id, JobChunk.chunk).limit(1)).first()
    return (row[0], row[1]) if row else None


def start_chunk(session: Session, job_id: int, chunk: int, worker: str,
                lease: float) -> Work | None:
    """Take the chunk for ``worker`` (None when it is done, cancelled or held by a live
    lease elsewhere); marks its job running."""
    now = utcnow()
    taken = session.execute(update(JobChunk).where(
        JobChunk.job_id == job_id, JobChunk.chunk == chunk,
        or_(JobChunk.status == "queued", _lapsed(now))).values(
        status="running", worker=worker, lease_until=now + timedelta(seconds=lease),
        attempts=JobChunk.attempts + 1)).rowcount
    if not taken:
        return None
    job = session.get(Job, job_id)
    if job.status == "cancelled":
        session.execute(update(JobChunk).where(JobChunk.job_id == job_id,
                                               JobChunk.chunk == chunk)
                        .values(status="cancelled", worker=None, lease_until=None))
        return None
    session.execute(update(Job).where(Job.id == job_id, Job.status == "queued")
                    .values(status="running", started_at=now))
    row = session.scalars(select(JobChunk).where(JobChunk.job_id == job_id,
                                                 JobChunk.chunk == chunk)).one()
    items = session.execute(select(JobInput.line, JobInput.lineno, JobInput.body,
                                   JobInput.thread_id)
                            .where(JobInput.job_id == job_id,
                                   JobInput.line.between(row.first_line, row.last_line))
                            .order_by(JobInput.line)).all()
    return Work(job_id, chunk, job.kind, job.model_version, [tuple(i) for i in items],
                row.attempts)


def renew(session: Session, worker: str, lease: float) -> int:
    """Extend the leases of the chunks ``worker`` is running."""
    return session.execute(update(JobChunk).where(
        JobChunk.worker == worker, JobChunk.status == "running").values(
        lease_until=utcnow() + timedelta(seconds=lease))).rowcount


def release(session: Session, job_id: int, chunk: int, worker: str) -> None:
    """Give a chunk back to the queue after its run failed in the worker."""
    session.execute(update(JobChunk).where(
        JobChunk.job_id == job_id, JobChunk.chunk == chunk, JobChunk.worker == worker,
        JobChunk.status == "running").values(status="queued", worker=None, lease_until=None))


def requeue_lapsed(session: Session) -> list[tuple[int, int, int]]:
    """Running chunks whose worker stopped renewing its lease, queued again: (job id,
    chunk, attempts so far) of each."""
    now = utcnow()
    found = session.execute(select(JobChunk.id, JobChunk.job_id, JobChunk.chunk,
                                   JobChunk.attempts).where(_lapsed(now))).all()
    requeued = []
    for row_id, job_id, chunk, attempts in found:
        done = session.execute(update(JobChunk).where(JobChunk.id == row_id, _lapsed(now))
                               .values(status="queued", worker=None, lease_until=None))
        if done.rowcount:
            requeued.append((job_id, chunk, attempts))
    return requeued


def finish_chunk(session: Session, job_id: int, chunk: int, outcomes: list[LineOutcome],
                 model_version: str | None, *, failed: bool = False) -> bool:
    """Write a chunk's results (replacing any earlier write of the same lines) and move
    its job on; False when the job was cancelled or the chunk already written."""
    job = session.get(Job, job_id, with_for_update=True, populate_existing=True)
    row = session.scalars(select(JobChunk).where(JobChunk.job_id == job_id,
                                                 JobChunk.chunk == chunk)).one()
    if job.status == "cancelled" or row.status in ("done", "failed", "cancelled"):
        if job.status == "cancelled" and row.status == "running":
            row.status, row.worker, row.lease_until = "cancelled", None, None
        return False
    insert = _insert(session)
    values = [{"job_id": job_id, "line": o.line, "chunk": chunk, "output": o.output,
               "error": o.error} for o in outcomes]
    for start in range(0, len(values), 500):
        statement = insert(JobResult).values(values[start:start + 500])
        session.execute(statement.on_conflict_do_update(
            index_elements=["job_id", "line"],
            set_={"chunk": statement.excluded.chunk, "output": statement.excluded.output,
                  "error": statement.excluded.error}))
    now = utcnow()
    row.status, row.worker, row.lease_until = ("failed" if failed else "done"), None, None
    row.model_version, row.finished_at = model_version, now
    job.done += len(outcomes)
    job.errors += sum(1 for o in outcomes if o.error is not None)
    job.chunks_left -= 1
    if job.model_version is None:
        job.model_version = model_version
    if job.chunks_left == 0:
        session.flush()
        broken = session.scalar(select(JobChunk.id).where(JobChunk.job_id == job_id,
                                                          JobChunk.status == "failed").limit(1))
        job.status, job.finished_at = ("failed" if broken else "done"), now
    return True


def result_lines(session: Session, job_id: int, after: int = -1, limit: int = RESULT_PAGE
                 ) -> list[tuple[int, str]]:
    """Up to ``limit`` result lines of the job after line ``after``: (line, NDJSON text);
    an error is ``{"line": N, "error": "..."}`` with N the line's number in the input."""
    rows = session.execute(
        select(JobResult.line, JobResult.output, JobResult.error, JobInput.lineno)
        .join(JobInput, (JobInput.job_id == JobResult.job_id)
              & (JobInput.line == JobResult.line))
        .where(JobResult.job_id == job_id, JobResult.line > after)
        .order_by(JobResult.line).limit(limit)).all()
    return [(line, output if error is None else
             json.dumps({"line": lineno, "error": error}, ensure_ascii=False))
            for line, output, error, lineno in rows]
