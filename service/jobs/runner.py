"""Run one chunk of a job in a worker: take it, analyse its lines, write its results.

The same code runs a chunk whichever queue handed it over (RQ on Redis, or the database
queue of the embedded worker). While a process works, a heartbeat thread renews the leases
of its chunks; a process killed with ``kill -9`` stops renewing, its chunk's lease lapses,
and the chunk is queued again (``store.requeue_lapsed`` or ``store.next_chunk``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid

from flask import Flask

from ..services.batch_analysis import analyze_line
from ..services.rescore import rescore
from ..store import transaction
from . import store
from .settings import JobSettings

log = logging.getLogger("thread_health.jobs")


def worker_name() -> str:
    """A name no other worker has: host, process, and a random part."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class NoModel(Exception):
    """The worker has no model loaded (see /readyz); the chunk goes back to the queue."""


class ChunkRunner:
    """Runs chunks in ``app`` (its database, its engine that follows promotions)."""

    def __init__(self, app: Flask, settings: JobSettings, name: str | None = None):
        self.app, self.settings = app, settings
        self.name = name or worker_name()
        self.holder = app.extensions["engine_holder"]
        self.busy = False  # whether a chunk is in hand (its lease wants renewing)

    def _engine(self, wanted: str | None):
        engine = self.holder.get()
        if engine is not None and wanted and engine.model_version != wanted:
            self.holder.refresh()  # a promotion this process has not looked at yet
            engine = self.holder.get()
        return engine

    def run(self, job_id: int, chunk: int) -> bool:
        """Run the chunk unless it is done, cancelled or held by a live worker."""
        with self.app.app_context():
            with transaction() as session:
                work = store.start_chunk(session, job_id, chunk, self.name,
                                         self.settings.lease)
            if work is None:
                return False
            self.busy = True
            try:
                return self._run(work)
            finally:
                self.busy = False

    def _run(self, work: store.Work) -> bool:
        job_id, chunk = work.job_id, work.chunk
        if work.attempts > self.settings.max_attempts:
            message = (f"not analysed: its chunk was started {work.attempts - 1} times "
                       "and never finished")
            with transaction() as session:
                store.finish_chunk(session, job_id, chunk,
                                   [store.LineOutcome(i[0], error=message)
                                    for i in work.items], None, failed=True)
            return True
        try:
            engine = self._engine(work.model_version)
            if engine is None:
                raise NoModel("no model is loaded in this worker")
            outcomes = [self._line(engine, work.kind, item) for item in work.items]
        except Exception:
            with transaction() as session:
                store.release(session, job_id, chunk, self.name)
            raise
        with transaction() as session:
            store.finish_chunk(session, job_id, chunk, outcomes, engine.model_version)
        return True

    def _line(self, engine, kind: str, item) -> store.LineOutcome:
        line, lineno, body, thread_id = item
        if kind == "analyze":
            result = analyze_line(engine, lineno, body)
            return store.LineOutcome(line, result.output, result.error)

        rules = self.app.extensions["moderation_rules"]  # the state machine's, as the API's
        changed = rescore(engine, thread_id, rules) if thread_id is not None else None
        if changed is None:
            return store.LineOutcome(line, error="the thread is no longer stored")
        return store.LineOutcome(line, _json(changed))


def _json(value: dict) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


class Heartbeat:
    """A thread that renews this worker's leases every third of a lease, and calls
    ``also`` (the reaper) on each beat."""

    def __init__(self, runner: ChunkRunner, also=None):
        self.runner, self.also = runner, also
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="jobs-heartbeat", daemon=True)

    def _run(self) -> None:
        while not self.stopping.wait(self.runner.settings.lease / 3):
            try:
                if self.runner.busy:
                    with self.runner.app.app_context(), transaction() as session:
                        store.renew(session, self.runner.name, self.runner.settings.lease)
                if self.also is not None:
                    self.also()
            except Exception:  # a database or Redis hiccup: try again on the next beat
                log.exception("jobs heartbeat failed")

    def start(self) -> Heartbeat:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(5)
