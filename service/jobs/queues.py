"""Where chunks wait: RQ on Redis, or the database itself (the embedded default).

With ``THREAD_HEALTH_JOB_QUEUE=redis://…`` each chunk is an RQ job that calls
``run_chunk``; ``thread-health worker`` processes, on any machine that reaches the same
PostgreSQL and Redis, run them one at a time with RQ's ``SimpleWorker`` (no fork per job:
the model stays loaded). RQ itself notices a worker that died mid-job only when the job's
heartbeat entry expires (its timeout plus a minute) at the next maintenance pass, so each
worker also runs a reaper on its heartbeat: a chunk whose lease lapsed is queued again, in
the database and in RQ, within seconds. Without Redis, workers (a thread of the service, or
``thread-health worker``) take chunks from the database in order.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time

from ..background import BackgroundLoop
from ..store import reading, transaction
from . import store
from .runner import ChunkRunner, Heartbeat
from .settings import JobSettings

log = logging.getLogger("thread_health.jobs")
TASK = "service.jobs.queues.run_chunk"
CHUNK_TIMEOUT = 3600  # RQ's limit on one chunk's run (a chunk of huge threads)
wake = threading.Event()  # set when this process queued chunks in the database
_runner: ChunkRunner | None = None  # this RQ worker process's runner


def _queue(settings: JobSettings):
    from redis import Redis
    from rq import Queue

    return Queue(settings.queue_name, connection=Redis.from_url(settings.queue_url))


def dispatch(settings: JobSettings, chunks: list[tuple[int, int, int]]) -> None:
    """Hand queued chunks ((job id, chunk, attempts so far) each) to the workers."""
    if not chunks:
        return
    if not settings.redis:
        wake.set()
        return
    from rq import Queue

    queue = _queue(settings)
    queue.enqueue_many([Queue.prepare_data(
        TASK, args=(job_id, chunk), job_id=f"th-{job_id}-{chunk}-{attempts}-{secrets.token_hex(4)}",
        result_ttl=0, failure_ttl=7 * 86_400, timeout=CHUNK_TIMEOUT)
        for job_id, chunk, attempts in chunks])


def run_chunk(job_id: int, chunk: int) -> bool:
    """The RQ task: run the chunk in this worker process."""
    if _runner is None:
        raise RuntimeError("run_chunk runs in `thread-health worker` processes only")
    try:
        return _runner.run(job_id, chunk)
    except Exception:
        # The runner gave the chunk back to the database queue; hand it to RQ again (a
        # chunk that keeps failing fails its lines after THREAD_HEALTH_JOB_MAX_ATTEMPTS).
        time.sleep(1)
        dispatch(_runner.settings, [(job_id, chunk, -1)])
        raise


def reap(runner: ChunkRunner) -> int:
    """Queue again the chunks whose worker stopped renewing its lease; how many."""
    with runner.app.app_context(), transaction() as session:
        lapsed = store.requeue_lapsed(session)
    for job_id, chunk, _ in lapsed:
        log.warning("job %s chunk %s: its worker stopped; queued again", job_id, chunk)
    dispatch(runner.settings, lapsed)
    return len(lapsed)


class DatabaseWorker(BackgroundLoop):
    """Takes chunks from the database queue until stopped (the embedded default)."""

    name = "jobs"
    stop_timeout = 30.0

    def __init__(self, runner: ChunkRunner):
        super().__init__(wake)
        self.runner = runner
        self.heartbeat = Heartbeat(runner)

    def run_once(self) -> bool:
        """Run one due chunk, if any; whether one was found."""
        with self.runner.app.app_context(), reading() as session:
            found = store.next_chunk(session)
        if found is None:
            return False
        self.runner.run(*found)
        return True

    def run(self, *, burst: bool = False) -> None:
        """Loop until ``stop`` (or, with ``burst``, until nothing is due)."""
        self.heartbeat.start()
        try:
            while not self.stopping.is_set():
                try:
                    ran = self.run_once()
                except Exception:  # a failed chunk goes back to the queue; keep serving
                    log.exception("jobs worker: a chunk failed")
                    ran = True
                if not ran:
                    if burst:
                        return
                    self.idle(self.runner.settings.poll)
        finally:
            self.heartbeat.stop()


def run_rq_worker(runner: ChunkRunner, *, burst: bool = False) -> None:
    """Work the RQ queue in this process: RQ's SimpleWorker, plus the heartbeat and reaper."""
    global _runner
    from redis import Redis
    from rq import SimpleWorker

    _runner = runner
    settings = runner.settings
    connection = Redis.from_url(settings.queue_url)
    worker = SimpleWorker([_queue(settings)], connection=connection, name=runner.name,
                          maintenance_interval=60)
    heartbeat = Heartbeat(runner, also=lambda: reap(runner)).start()
    try:
        reap(runner)
        worker.work(burst=burst, with_scheduler=False, logging_level="WARNING")
    finally:
        heartbeat.stop()
        _runner = None
