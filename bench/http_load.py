"""The HTTP service: cold start, and a bounded load on the analysis endpoints.

The real production server (``thread-health serve --workers 2``) runs on a free loopback
port with a temporary data directory; a Python client keeps N connections busy for a fixed
time and records every request's latency. The per-key rate limit is raised for the run:
this measures what the service can do, not the limit a platform is given.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from pathlib import Path

from tests.helpers import Server

WORKERS = 2
CONNECTIONS = (1, 4, 16)
NO_LIMIT = {"THREAD_HEALTH_API_RATE_LIMIT": "1000000/second"}


def cold_start(workdir: Path, workers: int = WORKERS) -> dict:
    """Seconds from ``thread-health serve`` to the first ``/readyz`` 200, fresh data dir."""
    folder = workdir / "cold-start"
    folder.mkdir(parents=True, exist_ok=True)
    server = Server(folder, workers=workers)
    started = time.monotonic()
    server.start(timeout=120)
    seconds = time.monotonic() - started
    server.kill()
    return {"seconds": round(seconds, 2), "workers": workers}


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(q / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def drive(port: int, key: str, path: str, bodies: list[bytes], connections: int,
          seconds: float) -> dict:
    """``connections`` clients POSTing ``bodies`` in turn for ``seconds``; latency figures."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    stop = time.monotonic() + seconds

    def client(number: int) -> None:
        mine, failed = [], []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = number
        while time.monotonic() < stop:
            body = bodies[i % len(bodies)]
            i += connections
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    failed.append(f"HTTP {response.status}")
            except (OSError, http.client.HTTPException) as exc:
                failed.append(type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    started = time.monotonic()
    clients = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {"connections": connections, "requests": len(latencies), "errors": len(errors),
            "error_kinds": sorted(set(errors)), "seconds": round(elapsed, 2),
            "req_per_s": round(len(latencies) / elapsed, 1),
            **{f"p{q}_ms": round(1e3 * percentile(latencies, q), 2) for q in (50, 95, 99)}}


def bodies_for(threads: list[dict], thread_size: int = 50, count: int = 40,
               seed: int = 0) -> dict[str, list[bytes]]:
    """Request bodies: single comments of the workload, and ``thread_size``-comment threads."""
    from bench.workload import Workload, read_corpus

    comments = [json.dumps({"text": c["text"]}).encode()
                for t in threads for c in t["comments"]][:2000]
    rng = random.Random(seed)
    workload = Workload(read_corpus())
    big = [json.dumps(workload.thread(rng, f"http-{i}", thread_size)).encode()
           for i in range(count)]
    return {"comment": comments, "thread": big}


def run(threads: list[dict], workdir: Path, seconds: float = 8.0,
        connections: tuple[int, ...] = CONNECTIONS) -> dict:
    """Start the server, create a key, drive both endpoints at each connection count."""
    folder = workdir / "http"
    folder.mkdir(parents=True, exist_ok=True)
    bodies = bodies_for(threads)
    server = Server(folder, env=NO_LIMIT, workers=WORKERS).start(timeout=120)
    try:
        key = server.cli("keys", "create", "--platform", "bench").strip().splitlines()[-1]
        for endpoint in ("comment", "thread"):  # warm both workers' caches
            drive(server.port, key, f"/v1/analyze/{endpoint}", bodies[endpoint], 4, 2.0)
        results = {endpoint: [drive(server.port, key, f"/v1/analyze/{endpoint}",
                                    bodies[endpoint], n, seconds) for n in connections]
                   for endpoint in ("comment", "thread")}
    finally:
        server.kill()
    return {"workers": WORKERS, "seconds_per_run": seconds, "thread_size": 50, **results}
