"""RQ on the real Redis with ``thread-health worker`` processes and PostgreSQL: a 2,000-thread
job gives exactly what ``analyze`` gives, and a worker killed with ``kill -9`` mid-chunk
leaves nothing lost and nothing twice (another worker runs its chunk again)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.workload import generate
from service.services.batch_analysis import BatchRunner
from service.store import reading
from service.store.job_models import JobChunk, JobResult
from tests.helpers import new_key
from tests.jobs.conftest import jobs_app

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
REDIS = "redis://127.0.0.1:6379/0"
EXE = str(Path(sys.executable).parent / "thread-health")


@pytest.fixture
def queue_name():
    """An RQ queue of this test's own on the real Redis (its keys removed after it)."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS)
    try:
        connection.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis answers on 127.0.0.1:6379 ({exc})")
    name = f"th-test-jobs-{uuid.uuid4().hex[:10]}"
    yield name
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)
    connection.close()


class Workers:
    """``thread-health worker`` processes on the app's database and queue."""

    def __init__(self, app, data_dir: Path):
        self.env = {**os.environ, "THREAD_HEALTH_DATA_DIR": str(data_dir),
                    "DATABASE_URL": app.config["DATABASE_URL"],
                    **{f"THREAD_HEALTH_{k}": str(app.config[k]) for k in
                       ("JOB_QUEUE", "JOB_QUEUE_NAME", "JOB_LEASE", "JOB_CHUNK")}}
        self.log = data_dir / "workers.log"
        self.processes: list[subprocess.Popen] = []

    def start(self, count: int) -> None:
        with self.log.open("ab") as log:
            self.processes += [subprocess.Popen([EXE, "worker"], env=self.env, stdout=log,
                                                stderr=subprocess.STDOUT,
                                                start_new_session=True)
                               for _ in range(count)]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _submit(app, threads: list[dict]) -> tuple[dict, dict, str]:
    _, headers = new_key(app)
    body = "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in threads)
    answer = app.test_client().post("/v1/jobs", data=body.encode("utf-8"),
                                    headers={**headers, "Content-Type": "application/x-ndjson"})
    assert answer.status_code == 202, answer.get_json()
    return answer.get_json(), headers, body


def _wait_done(app, job_id: str, headers: dict, workers: Workers, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = app.test_client().get(f"/v1/jobs/{job_id}", headers=headers).get_json()
        if job["status"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job not done after {timeout} s:\n{workers.log.read_text()[-3000:]}")


def _expected(app, body: str) -> list[str]:
    engine = app.extensions["engine_holder"].get()
    with BatchRunner(workers=1, model_path=None, models_dir=app.config["MODELS_DIR"],
                     engine=engine) as runner:
        return [r.output for r in runner.run(body.splitlines(keepends=True))]


def _results(app, job_id: str, headers: dict) -> list[str]:
    answer = app.test_client().get(f"/v1/jobs/{job_id}/results", headers=headers)
    assert answer.status_code == 200
    return answer.get_data(as_text=True).splitlines()


@contextmanager
def _run(tmp_path, queue_name, threads: list[dict], chunk: int, lease: float, during=None):
    """The threads as one job on two workers (``during(app)`` once it is submitted): the
    app, the job as submitted and as finished, its headers and body."""
    with jobs_app(tmp_path, "postgresql", JOB_QUEUE=REDIS, JOB_QUEUE_NAME=queue_name,
                  JOB_CHUNK=chunk, JOB_LEASE=lease) as app:
        workers = Workers(app, tmp_path)
        workers.start(2)
        try:
            job, headers, body = _submit(app, threads)
            extra = during(app) if during else None
            done = _wait_done(app, job["id"], headers, workers, timeout=600)
        finally:
            workers.stop()
        assert (done["status"], done["done"], done["errors"]) == ("done", len(threads), 0)
        assert _results(app, job["id"], headers) == _expected(app, body)
        yield app, extra


def test_a_2000_thread_job_on_two_workers_equals_analyze(tmp_path, queue_name):
    threads = generate(threads=2000, comments=6000, seed=22)
    assert len(threads) == 2000
    with _run(tmp_path, queue_name, threads, chunk=50, lease=5):
        pass  # _run checked the status and the results


def _kill_a_running_worker(app) -> tuple[int, int]:
    job_id, chunk, pid = _running_chunk(app, timeout=180)
    os.kill(pid, signal.SIGKILL)
    return job_id, chunk


def test_kill_9_of_a_worker_mid_chunk_loses_nothing_and_doubles_nothing(tmp_path,
                                                                        queue_name):
    threads = generate(threads=300, comments=3000, seed=9)
    with _run(tmp_path, queue_name, threads, chunk=20, lease=2,
              during=_kill_a_running_worker) as (app, victim):
        with app.app_context(), reading() as session:
            attempts = session.scalar(select(JobChunk.attempts).where(
                JobChunk.job_id == victim[0], JobChunk.chunk == victim[1]))
            rows, lines = session.execute(select(func.count(), func.count(
                JobResult.line.distinct())).where(JobResult.job_id == victim[0])).one()
        assert attempts >= 2  # the killed run, then another worker's
        assert rows == lines == 300


def _running_chunk(app, timeout: float) -> tuple[int, int, int]:
    """(job id, chunk, worker pid) of a chunk a worker is running, once one is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context(), reading() as session:
            row = session.execute(select(JobChunk.job_id, JobChunk.chunk, JobChunk.worker)
                                  .where(JobChunk.status == "running").limit(1)).first()
        if row is not None:
            return row[0], row[1], int(row[2].split(":")[1])
        time.sleep(0.05)
    raise AssertionError("no chunk started")
