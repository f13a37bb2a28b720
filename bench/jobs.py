"""Bulk jobs through the queue: the workload as one job, run by 1 and 2 ``thread-health
worker`` processes on RQ (the real Redis) and PostgreSQL (SQLite when no server answers),
against ``analyze`` with the same number of processes.

Both sides are timed once their model is loaded: the workers have printed that they are
ready, and ``BatchRunner`` has loaded the engine and forked its processes. The job's time
runs from the submission (its lines written to the database and its chunks queued) to the
job's status ``done``, read every 50 ms; the overhead is that time over ``analyze``'s.
The results are compared with ``analyze``'s output, line for line.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench.targets import Target, standalone

EXE = str(Path(sys.executable).with_name("thread-health"))
REDIS = "redis://127.0.0.1:6379/0"
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_DSN = "host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=3"


def _database(workdir: Path) -> tuple[str, str | None]:
    """A fresh PostgreSQL schema's URL (and its name), else an SQLite file's."""
    try:
        import psycopg

        schema = f"th_bench_jobs_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_DSN, autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
        return f"{PG}?options=-csearch_path%3D{schema}", schema
    except Exception:  # no server: the embedded database
        return f"sqlite:///{workdir / 'jobs.sqlite3'}", None


def _analyze(lines: list[str], workers: int) -> tuple[float, list[str]]:
    """``analyze``'s engine and processes on the lines: seconds, and its output lines."""
    from service.config import DEFAULT_MODELS_DIR
    from service.services.batch_analysis import BatchRunner

    with BatchRunner(workers=workers, model_path=None, models_dir=DEFAULT_MODELS_DIR) as run:
        started = time.perf_counter()
        out = [r.output for r in run.run(lines)]
        return time.perf_counter() - started, out


def _start_workers(env: dict, count: int, log: Path) -> list[subprocess.Popen]:
    """``count`` workers, returned once each has loaded its model."""
    with log.open("ab") as fh:
        processes = [subprocess.Popen([EXE, "worker"], env=env, stdout=fh,
                                      stderr=subprocess.STDOUT, start_new_session=True)
                     for _ in range(count)]
    deadline = time.monotonic() + 300
    while log.read_text().count(" on RQ queue ") < count:
        if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
            raise RuntimeError(f"workers did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.1)
    return processes


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


def _through_queue(app, platform_id: int, lines: list[str]) -> tuple[float, dict, list[str]]:
    """Submit the lines as one job and wait for it: seconds, its status, its results."""
    from service.jobs import submit
    from service.jobs.store import find_job, result_lines
    from service.store import reading

    items = [(n, line.rstrip("\n"), None) for n, line in enumerate(lines, 1)]
    with app.app_context():
        started = time.perf_counter()
        job = submit(platform_id, "analyze", items, actor="bench", model_version=None)
        while job["status"] not in ("done", "failed", "cancelled"):
            time.sleep(0.05)
            with reading() as session:
                found = find_job(session, None, job["id"])
                job = {"status": found.status, "id": found.public_id, "done": found.done,
                       "errors": found.errors, "internal": found.id}
        seconds = time.perf_counter() - started
        out, after = [], -1
        with reading() as session:
            while page := result_lines(session, job["internal"], after):
                out += [text for _, text in page]
                after = page[-1][0]
    return seconds, job, out


def run(threads: list[dict], workdir: Path, counts: tuple[int, ...] = (1, 2)) -> dict:
    from redis import Redis

    from service import create_app
    from service.store import transaction
    from service.store.keys import create_key
    from service.store.models import Platform

    lines = [json.dumps(t, ensure_ascii=False) + "\n" for t in threads]
    url, schema = _database(workdir)
    queue = f"th-bench-jobs-{uuid.uuid4().hex[:8]}"
    config = {"DATA_DIR": workdir, "DATABASE_URL": url, "AUTO_MIGRATE": True,
              "LOAD_MODEL": False, "JOB_QUEUE": REDIS, "JOB_QUEUE_NAME": queue}
    app = create_app(config)
    with app.app_context(), transaction() as session:
        create_key(session, "bench-jobs")
        platform_id = session.query(Platform.id).filter_by(name="bench-jobs").scalar()
    env = {**os.environ, "THREAD_HEALTH_DATA_DIR": str(workdir), "DATABASE_URL": url,
           "THREAD_HEALTH_JOB_QUEUE": REDIS, "THREAD_HEALTH_JOB_QUEUE_NAME": queue}
    figures: dict = {"threads": len(threads), "database": url.split(":")[0].split("+")[0],
                     "comments": sum(len(t["comments"]) for t in threads),
                     "chunk": app.extensions["jobs"].chunk, "analyze_s": {}, "queue_s": {},
                     "identical": True}
    try:
        for count in counts:
            seconds, expected = _analyze(lines, count)
            figures["analyze_s"][str(count)] = round(seconds, 2)
            workers = _start_workers(env, count, workdir / f"workers-{count}.log")
            try:
                seconds, job, out = _through_queue(app, platform_id, lines)
            finally:
                _stop(workers)
            figures["queue_s"][str(count)] = round(seconds, 2)
            figures["identical"] &= job["status"] == "done" and out == expected
    finally:
        app.extensions["db_engine"].dispose()
        _cleanup(Redis.from_url(REDIS), queue, schema)
    q, a = figures["queue_s"], figures["analyze_s"]
    figures["comments_per_s"] = {n: round(figures["comments"] / s) for n, s in q.items()}
    figures["overhead"] = {n: round(q[n] / a[n] - 1, 3) for n in q}
    if "1" in q and "2" in q:
        figures["speedup_2_over_1"] = round(q["1"] / q["2"], 2)
    return figures


def _cleanup(redis, queue: str, schema: str | None) -> None:
    for key in redis.scan_iter(f"rq:*{queue}*"):
        redis.delete(key)
    redis.close()
    if schema:
        import psycopg

        with psycopg.connect(PG_DSN, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def jobs_targets(figures: dict) -> list[Target]:
    out = [Target("jobs: 2 workers over 1 (throughput)", figures.get("speedup_2_over_1"),
                  ">=", 1.7, "x")]
    out += [Target(f"jobs: queue overhead against analyze, {n} worker(s)", value, "<=", 0.15)
            for n, value in figures["overhead"].items()]
    out.append(Target("jobs: results identical to analyze", int(figures["identical"]),
                      ">=", 1))
    return out


def main(argv: list[str] | None = None) -> int:
    from bench.workload import generate

    def measure(workdir: Path, threads: int, comments: int) -> dict:
        return run(generate(threads=threads, comments=comments), workdir)

    return standalone("python -m bench.jobs", __doc__,
                      {"--threads": 1000, "--comments": 20000}, measure, jobs_targets, argv)


if __name__ == "__main__":
    sys.exit(main())
