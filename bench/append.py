"""Appending to stored threads through the real service, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.append                       # both parts, both databases
    .venv/bin/python -m bench.append --requests 50 --noisy-seconds 20 --databases sqlite

Two measures, each on a fresh SQLite file and on a fresh schema of the PostgreSQL server
at 127.0.0.1:5432 (skipped, saying why, when none answers), with ``thread-health serve
--workers 2`` on a free loopback port:

- ``sizes``: stored threads of 100, 1,000, 5,000 and 20,000 comments (built with a PUT and
  appends of 2,000); then one keep-alive client appends 1 comment at a time
  (``?comments=sent``) to each in turn, ``--requests`` times each after a few untimed
  ones: p50 and p99 per size.
- ``noisy``: platform B's 8 clients each append 1 comment after another to B's
  5,000-comment thread, while platform A's client stores two-comment threads with PUT and
  another polls ``/healthz``, for ``--noisy-seconds``: A's p99, /healthz p99, 5xx count.

The per-key rate limit is raised (this measures the service, not a platform's quota), and
so is the limit of comments per thread: a thread of 20,000, the default limit, takes no
more comments.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.http_load import NO_LIMIT, percentile
from bench.targets import Target
from bench.workload import Workload, read_corpus
from tests.helpers import Server

SIZES = (100, 1_000, 5_000, 20_000)
CHUNK = 2_000  # comments per request when building a thread (the per-request limit)
WARM_UP = 5
NOISY_SIZE = 5_000
NOISY_CLIENTS = 8
PG_DSN = "host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=3"


def _comments(rng: random.Random, prefix: str, count: int) -> list[dict]:
    """``count`` comments of the seeded workload (corpus texts, authors, replies)."""
    workload = Workload(read_corpus())
    thread = workload.thread(rng, prefix, count)
    for c in thread["comments"]:
        c["id"] = f"{prefix}-{c['id']}"
        if c.get("reply_to"):
            c["reply_to"] = f"{prefix}-{c['reply_to']}"
    return thread["comments"]


class Client:
    """One keep-alive connection sending JSON with a key; (status, seconds) per call."""

    def __init__(self, port: int, key: str):
        self.port, self.key = port, key
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method: str, path: str, body=None) -> tuple[int, float]:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": f"Bearer {self.key}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            return 599, time.perf_counter() - started
        return response.status, time.perf_counter() - started

    def close(self) -> None:
        self.conn.close()


def _build(client: Client, thread_id: str, comments: list[dict]) -> None:
    """Store a thread of ``comments``: a PUT, then appends of ``CHUNK``."""
    status, _ = client.call("PUT", f"/v1/threads/{thread_id}",
                            {"comments": comments[:CHUNK]})
    assert status in (200, 201), status
    for start in range(CHUNK, len(comments), CHUNK):
        status, _ = client.call("POST", f"/v1/threads/{thread_id}/comments?comments=sent",
                                {"comments": comments[start:start + CHUNK]})
        assert status == 200, status


def _figures(latencies: list[float], statuses: list[int]) -> dict:
    latencies = sorted(latencies)
    return {"requests": len(latencies), "non_2xx": sum(s >= 300 for s in statuses),
            "errors_5xx": sum(s >= 500 for s in statuses),
            **{f"p{q}_ms": round(1e3 * percentile(latencies, q), 2) for q in (50, 99)}}


def sizes(server: Server, key: str, requests: int, sizes_: tuple[int, ...] = SIZES,
          seed: int = 0) -> dict:
    """p50/p99 of 1-comment appends to a stored thread of each size.

    The threads are built first; then the appends go round the sizes in turn (one to each,
    again and again), so a change in the machine's load during the run weighs on every size
    alike and the sizes can be compared."""
    rng = random.Random(seed)
    client = Client(server.port, key)
    pending, timed = {}, {}
    try:
        for size in sizes_:
            comments = _comments(rng, f"size-{size}", size + WARM_UP + requests)
            _build(client, f"size-{size}", comments[:size])
            pending[size], timed[size] = comments[size:], ([], [])
        for i in range(WARM_UP + requests):
            for size in sizes_:
                status, seconds = client.call(
                    "POST", f"/v1/threads/size-{size}/comments?comments=sent",
                    {"comments": [pending[size][i]]})
                if i >= WARM_UP:
                    timed[size][0].append(seconds)
                    timed[size][1].append(status)
    finally:
        client.close()
    out = {str(size): _figures(*timed[size]) for size in sizes_}
    for size in sizes_:
        print(f"  append to {size:>6,}: {out[str(size)]}", flush=True)
    return out


def noisy(server: Server, key_a: str, key_b: str, seconds: float, seed: int = 0) -> dict:
    """Platform B appends to its long thread with 8 clients; A's PUTs and /healthz."""
    rng = random.Random(seed)
    builder = Client(server.port, key_b)
    _build(builder, "b-long", _comments(rng, "b-long", NOISY_SIZE))
    builder.close()
    pool = [dict(c, reply_to=c["reply_to"] and f"b-long-c{rng.randint(1, NOISY_SIZE)}")
            for c in _comments(rng, "b-more", 4_000)]  # replies to the stored comments
    pairs = _comments(rng, "a", 2_000)
    stop = time.monotonic() + seconds
    results: dict[str, tuple[list, list]] = {}
    lock = threading.Lock()

    def record(name: str, latencies: list, statuses: list) -> None:
        with lock:
            mine = results.setdefault(name, ([], []))
            mine[0].extend(latencies)
            mine[1].extend(statuses)

    def platform_b(number: int) -> None:
        client, latencies, statuses, i = Client(server.port, key_b), [], [], number
        while time.monotonic() < stop:
            comment = pool[i % len(pool)]
            i += NOISY_CLIENTS
            status, took = client.call("POST", "/v1/threads/b-long/comments?comments=sent",
                                       {"comments": [comment]})
            latencies.append(took)
            statuses.append(status)
        client.close()
        record("b_append", latencies, statuses)

    def platform_a() -> None:
        client, latencies, statuses, i = Client(server.port, key_a), [], [], 0
        while time.monotonic() < stop:
            body = {"comments": [dict(pairs[2 * i % len(pairs)], reply_to=None),
                                 dict(pairs[(2 * i + 1) % len(pairs)], reply_to=None)]}
            status, took = client.call("PUT", f"/v1/threads/a-{i}", body)
            latencies.append(took)
            statuses.append(status)
            i += 1
        client.close()
        record("a_put", latencies, statuses)

    def healthz() -> None:
        client, latencies, statuses = Client(server.port, key_a), [], []
        while time.monotonic() < stop:
            status, took = client.call("GET", "/healthz")
            latencies.append(took)
            statuses.append(status)
            time.sleep(0.05)
        client.close()
        record("healthz", latencies, statuses)

    workers = ([threading.Thread(target=platform_b, args=(n,)) for n in range(NOISY_CLIENTS)]
               + [threading.Thread(target=platform_a), threading.Thread(target=healthz)])
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return {"seconds": seconds, "b_clients": NOISY_CLIENTS, "b_thread_size": NOISY_SIZE,
            **{name: _figures(*values) for name, values in results.items()}}


@contextlib.contextmanager
def database(kind: str, folder: Path):
    """(env for the server, or None with the reason it cannot run) for ``kind``."""
    if kind == "sqlite":
        yield {}, None
        return
    try:
        import psycopg

        connection = psycopg.connect(PG_DSN, autocommit=True)
    except Exception as exc:  # no driver or no server: say so, measure the rest
        yield None, f"no PostgreSQL at 127.0.0.1:5432 ({type(exc).__name__})"
        return
    schema = f"bench_append_{os.getpid()}"
    with connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield {"DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/test"
                               f"?options=-csearch_path%3D{schema}"}, None
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def run(workdir: Path, requests: int = 200, noisy_seconds: float = 60.0,
        databases: tuple[str, ...] = ("sqlite", "postgresql"),
        sizes_: tuple[int, ...] = SIZES) -> dict:
    """Both measures on each database."""
    out: dict = {"workers": 2, "requests": requests}
    for kind in databases:
        folder = workdir / kind
        folder.mkdir(parents=True, exist_ok=True)
        with database(kind, folder) as (env, reason):
            if env is None:
                out[kind] = {"skipped": reason}
                continue
            print(f"  {kind}", flush=True)
            roomy = {"THREAD_HEALTH_MAX_COMMENTS_PER_THREAD": str(max(sizes_) + 10_000)}
            server = Server(folder, env={**NO_LIMIT, **roomy, **env}, workers=2).start(
                timeout=180)
            try:
                key_a = server.cli("keys", "create", "--platform", "a").strip().splitlines()[-1]
                key_b = server.cli("keys", "create", "--platform", "b").strip().splitlines()[-1]
                out[kind] = {"sizes": sizes(server, key_b, requests, sizes_)}
                if noisy_seconds:
                    out[kind]["noisy"] = noisy(server, key_a, key_b, noisy_seconds)
                    print(f"  noisy: {out[kind]['noisy']}", flush=True)
            finally:
                server.kill()
    return out


def append_targets(figures: dict) -> list[Target]:
    """Issue 17's targets, per database measured."""
    out = []
    for kind in ("sqlite", "postgresql"):
        part = figures.get(kind)
        if not part or "sizes" not in part:
            continue
        by_size = part["sizes"]
        out.append(Target(f"{kind}: appends answered with an error",
                          sum(f["non_2xx"] for f in by_size.values()), "<=", 0))
        if "5000" in by_size:
            out += [Target(f"{kind}: append 1 comment to 5,000, p50", by_size["5000"]["p50_ms"],
                           "<=", 30, "ms"),
                    Target(f"{kind}: append 1 comment to 5,000, p99", by_size["5000"]["p99_ms"],
                           "<=", 100, "ms")]
        if "20000" in by_size and "100" in by_size:
            out.append(Target(f"{kind}: p50 at 20,000 / p50 at 100",
                              round(by_size["20000"]["p50_ms"] / by_size["100"]["p50_ms"], 2),
                              "<=", 1.5))
        if "noisy" in part:
            noisy_ = part["noisy"]
            errors = sum(noisy_[k]["errors_5xx"] for k in ("a_put", "b_append", "healthz"))
            out += [Target(f"{kind}: noisy neighbour, A's PUT p99", noisy_["a_put"]["p99_ms"],
                           "<=", 250, "ms"),
                    Target(f"{kind}: noisy neighbour, /healthz p99",
                           noisy_["healthz"]["p99_ms"], "<=", 50, "ms"),
                    Target(f"{kind}: noisy neighbour, 5xx answers", errors, "<=", 0)]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.append",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--noisy-seconds", type=float, default=60.0)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-append-") as folder:
        figures = run(Path(folder), args.requests, args.noisy_seconds,
                      tuple(args.databases.split(",")),
                      tuple(int(s) for s in args.sizes.split(",")))
    print(json.dumps(figures, indent=2))
    checked = append_targets(figures)
    for target in checked:
        print(target.line())
    return 0 if all(t.passed for t in checked) else 1


if __name__ == "__main__":
    sys.exit(main())
