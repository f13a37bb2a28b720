"""The moderation page of a long thread: its size and the server's time to build it
(issue 17: a 5,000-comment thread's page at most 500 KB and 300 ms).

    .venv/bin/python -m bench.moderation_page                  # 5,000 comments, prints JSON
    .venv/bin/python -m bench.moderation_page --size 500 --requests 5

One thread shaped like a corpus thread (``bench.workload``) is analysed by the promoted model
and stored through the store's own replace (the API caps a request at 2,000 comments), on
SQLite and, when a server answers on 127.0.0.1:5432, on PostgreSQL in a schema of its own.
A signed-in moderator then asks for three pages through the app in-process (Flask's test
client, so the time is the server's alone: routing, queries, template, no network): the
first page, a page in the middle and the self-promotion comments, ``requests`` times each
after one untimed request. Wall time is held to the target; the process's CPU time is
recorded beside it, since on a busy machine wall time mostly measures the wait for a core.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

from bench.http_load import percentile
from bench.targets import Target, standalone

MAX_BYTES = 500 * 1024
MAX_MS = 300
PLATFORM = "bench-moderation"


def _thread(size: int, seed: int):
    """A ``size``-comment thread, built directly as ``bench.probe`` does (the API's parsing
    holds a request to 2,000 comments)."""
    from bench.workload import Workload, read_corpus
    from service.nlp.features import CommentInput
    from service.validation import ThreadInput

    raw = Workload(read_corpus()).thread(random.Random(seed), "long", size)
    comments = [CommentInput(id=c["id"], author=c["author"], text=c["text"],
                             reply_to=c.get("reply_to")) for c in raw["comments"]]
    return ThreadInput(id="long", language=None, comments=comments, title=raw.get("title"))


def _measure(app, thread, requests: int) -> dict:
    from service.current_model import engine
    from service.services import threads as thread_service
    from service.store import transaction
    from service.store.keys import get_or_create_platform
    from service.store.threads import find_thread
    from tests.moderation.helpers import add_moderator, sign_in

    with app.app_context():
        model = engine()
        started = time.perf_counter()
        with transaction() as session:
            pid = get_or_create_platform(session, PLATFORM).id
        thread_service.replace(model, pid, thread, actor="bench",
                               limit=max(len(thread.comments), 1),
                               rules=app.extensions["moderation_rules"])
        with transaction() as session:
            thread_id = find_thread(session, pid, thread.id).id
        stored_s = time.perf_counter() - started
    client = app.test_client()
    sign_in(client, add_moderator(app, [PLATFORM], username="bench"))
    middle = max(1, len(thread.comments) // app.config["MODERATION_COMMENTS_PAGE_SIZE"] // 2)
    pages = {"first": f"/moderation/threads/{thread_id}",
             "middle": f"/moderation/threads/{thread_id}?page={middle}",
             "self_promotion": f"/moderation/threads/{thread_id}?comments=self_promotion"}
    out: dict = {"store_s": round(stored_s, 2)}
    for name, url in pages.items():
        client.get(url)  # warm-up: template compiled, caches filled
        times, cpu, sizes = [], [], set()
        for _ in range(requests):
            started, used = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            sizes.add(len(response.get_data()))
        times.sort()
        cpu.sort()
        out[name] = {"bytes": max(sizes), "p50_ms": round(percentile(times, 50), 1),
                     "p95_ms": round(percentile(times, 95), 1),
                     "max_ms": round(times[-1], 1),
                     "cpu_p50_ms": round(percentile(cpu, 50), 1)}
    return out


def _postgresql_url() -> tuple[str, str] | None:
    """(URL on a new schema, schema) when PostgreSQL answers, else None."""
    try:
        import psycopg

        from tests.conftest import PG_DSN

        schema = f"th_bench_page_{os.getpid()}"
        with psycopg.connect(PG_DSN, autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
    except Exception:  # no driver or no server: the part measures SQLite only
        return None
    return (f"postgresql+psycopg://postgres@127.0.0.1:5432/test"
            f"?options=-csearch_path%3D{schema}", schema)


def _drop_schema(schema: str) -> None:
    import psycopg

    from tests.conftest import PG_DSN

    with psycopg.connect(PG_DSN, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def on_each_database(workdir: Path, config: dict, measure) -> dict:
    """``measure(app)`` on an app of ``config`` on SQLite and, when it answers, on
    PostgreSQL in a schema of its own (dropped after): figures per database."""
    from service import create_app
    from tests.conftest import dispose

    out: dict = {}
    backends: list[tuple[str, dict, str | None]] = [
        ("sqlite", {"DATA_DIR": workdir / "sqlite"}, None)]
    if (pg := _postgresql_url()) is not None:
        backends.append(("postgresql", {"DATA_DIR": workdir / "postgresql",
                                        "DATABASE_URL": pg[0]}, pg[1]))
    for name, extra, schema in backends:
        app = create_app({**config, **extra})
        try:
            out[name] = measure(app)
        finally:
            dispose(app)
            if schema:
                _drop_schema(schema)
    return out


def run(workdir: Path, size: int = 5000, requests: int = 20, seed: int = 0) -> dict:
    """Page sizes and server times on each database that answers."""
    thread = _thread(size, seed)
    config = {"TESTING": True, "AUTO_MIGRATE": True, "MODERATION_FAILURE_DELAY": 0}
    figures: dict = {"size": size, "requests": requests,
                     "load_average": [round(v, 2) for v in os.getloadavg()]}
    figures["databases"] = on_each_database(
        workdir, config, lambda app: _measure(app, thread, requests))
    return figures


def page_targets(figures: dict) -> list[Target]:
    out = []
    for database, pages in figures["databases"].items():
        label = f"moderation page, {figures['size']:,} comments, {database}"
        out.append(Target(f"{label}: largest page", round(max(
            p["bytes"] for k, p in pages.items() if k != "store_s") / 1024, 1), "<=",
            MAX_BYTES / 1024, "KB"))
        out.append(Target(f"{label}: slowest page p95", max(
            p["p95_ms"] for k, p in pages.items() if k != "store_s"), "<=", MAX_MS, "ms"))
    return out


def main(argv: list[str] | None = None) -> int:
    return standalone("python -m bench.moderation_page", __doc__,
                      {"--size": 5000, "--requests": 20}, run, page_targets, argv)


if __name__ == "__main__":
    sys.exit(main())
