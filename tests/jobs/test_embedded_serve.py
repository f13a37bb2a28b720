"""The embedded default under the real server: no Redis configured, SQLite, and
``thread-health serve`` (two gunicorn workers) runs a job from its own threads."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from tests.helpers import Server, http
from tests.jobs.conftest import corpus_lines


def _post_ndjson(url: str, body: str, key: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body.encode("utf-8"), method="POST")
    request.add_header("Content-Type", "application/x-ndjson")
    request.add_header("Authorization", f"Bearer {key}")
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, json.loads(response.read())


@pytest.mark.slow
def test_serve_runs_a_job_on_sqlite_with_no_redis(tmp_path, monkeypatch):
    monkeypatch.delenv("THREAD_HEALTH_JOB_QUEUE", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    server = Server(tmp_path, {"THREAD_HEALTH_JOB_CHUNK": "3"}, workers=2)
    key = server.cli("keys", "create", "--platform", "embedded").split()[-1]
    server.start()
    try:
        status, job = _post_ndjson(f"{server.url}/v1/jobs", "".join(corpus_lines(8)), key)
        assert status == 202 and job["total"] == 8
        deadline = time.monotonic() + 120
        while job["status"] not in ("done", "failed", "cancelled"):
            assert time.monotonic() < deadline, job
            time.sleep(0.3)
            _, job, _ = http("GET", f"{server.url}/v1/jobs/{job['id']}", key=key)
        request = urllib.request.Request(f"{server.url}/v1/jobs/{job['id']}/results")
        request.add_header("Authorization", f"Bearer {key}")
        with urllib.request.urlopen(request, timeout=60) as response:
            lines = response.read().decode("utf-8").splitlines()
    finally:
        server.kill()
    assert (job["status"], job["done"], job["errors"]) == ("done", 8, 0)
    assert [json.loads(line)["id"] for line in lines] == [
        json.loads(line)["id"] for line in corpus_lines(8)]
    assert (tmp_path / "thread-health.sqlite3").exists()
