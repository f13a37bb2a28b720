"""The queue's search over many stored comments (issue 21: 100,000 comments, an answer
within 200 ms on SQLite and on PostgreSQL).

    .venv/bin/python -m bench.search                        # 100,000 comments, prints JSON
    .venv/bin/python -m bench.search --comments 10000 --requests 5

Threads of 50 comments, their texts drawn from the corpus (``bench.workload``), are written
straight into a migrated database (the analyses are not what is measured here), one
platform, every thread flagged; a few comments carry a word planted nowhere else. The
full-text tables or indexes of migration 0009 are filled as the rows go in (the time is
recorded; on PostgreSQL an ``ANALYZE`` follows, as autovacuum's would). A signed-in
moderator then asks for the queue with ``q`` through the app in-process (Flask's test
client: the server's time alone) for a word of three comments, a common word, two words
and an author, ``requests`` times each after one untimed request.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

from bench.http_load import percentile
from bench.moderation_page import on_each_database
from bench.targets import Target, standalone

MAX_MS = 200
PLATFORM = "bench-search"
PER_THREAD = 50
PLANTED = "zanzibarique"  # in 3 comments only
QUERIES = {"rare word": PLANTED, "common word": "merci", "two words": "merci pour",
           "author": "user7"}


def _rows(comments: int, seed: int) -> tuple[list[dict], list[dict]]:
    from bench.workload import read_corpus

    texts = [c["text"] for t in read_corpus() for c in t["comments"]]
    rng = random.Random(seed)
    threads = [{"external_id": f"t{i}", "title": f"Fil {i}"}
               for i in range(max(1, comments // PER_THREAD))]
    rows = []
    planted = set(rng.sample(range(comments), 3))
    for n in range(comments):
        text = rng.choice(texts)
        rows.append({"thread": n // PER_THREAD % len(threads), "position": n % PER_THREAD,
                     "author": f"user{rng.randrange(500)}",
                     "text": f"{text} {PLANTED}" if n in planted else text})
    return threads, rows


def _store(app, threads: list[dict], rows: list[dict]) -> float:
    """Write the rows in batches; the seconds it took (full-text upkeep included)."""
    from sqlalchemy import insert

    from service.store import transaction
    from service.store.keys import get_or_create_platform
    from service.store.models import Comment, Flag, Thread, utcnow

    started = time.perf_counter()
    with app.app_context(), transaction() as session:
        pid = get_or_create_platform(session, PLATFORM).id
        now = utcnow()
        ids = []
        for i, t in enumerate(threads):
            thread = Thread(platform_id=pid, external_id=t["external_id"], title=t["title"],
                            created_at=now, updated_at=now, comment_count=PER_THREAD,
                            score=20 + i % 60, level="unhealthy", level_rank=0, flagged=True,
                            review_state="open", version=0)
            session.add(thread)
            ids.append(thread)
        session.flush()
        session.execute(insert(Flag), [{"thread_id": t.id, "name": "broadcast_heavy",
                                        "active": True, "state": "open", "raised_at": now,
                                        "updated_at": now} for t in ids])
        for start in range(0, len(rows), 5000):
            session.execute(insert(Comment), [
                {"thread_id": ids[r["thread"]].id, "external_id": f"c{start + k}",
                 "position": r["position"], "author": r["author"], "text": r["text"],
                 "stored_at": now} for k, r in enumerate(rows[start:start + 5000])])
    if app.extensions["db_engine"].dialect.name == "postgresql":
        # the statistics autovacuum gathers after a bulk load, without waiting for it:
        # without them the planner does not know the full-text index is worth using
        with app.extensions["db_engine"].connect() as connection:
            connection.exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


def _measure(app, threads, rows, requests: int) -> dict:
    from tests.moderation.helpers import add_moderator, sign_in

    out: dict = {"store_s": round(_store(app, threads, rows), 1)}
    client = app.test_client()
    sign_in(client, add_moderator(app, [PLATFORM], username="bench"))
    for name, query in QUERIES.items():
        url = f"/moderation/?state=all&q={query.replace(' ', '+')}"
        first = client.get(url)  # warm-up: template compiled, caches filled
        if first.status_code != 200:
            raise RuntimeError(f"{url} answered {first.status_code}")
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        text = first.get_data(as_text=True)
        out[name] = {"query": query, "rows_on_page": text.count("data-thread-id="),
                     "p50_ms": round(percentile(times, 50), 1),
                     "p95_ms": round(percentile(times, 95), 1)}
    return out


def run(workdir: Path, comments: int = 100_000, requests: int = 20, seed: int = 0) -> dict:
    """Search times on each database that answers."""
    threads, rows = _rows(comments, seed)
    config = {"TESTING": True, "AUTO_MIGRATE": True, "MODERATION_FAILURE_DELAY": 0,
              "LOAD_MODEL": False}
    figures: dict = {"comments": comments, "threads": len(threads), "requests": requests,
                     "load_average": [round(v, 2) for v in os.getloadavg()]}
    figures["databases"] = on_each_database(
        workdir, config, lambda app: _measure(app, threads, rows, requests))
    return figures


def search_targets(figures: dict) -> list[Target]:
    return [Target(f"queue search, {figures['comments']:,} comments, {database}, {name}: p95",
                   found[name]["p95_ms"], "<=", MAX_MS, "ms")
            for database, found in figures["databases"].items() for name in QUERIES]


def main(argv: list[str] | None = None) -> int:
    return standalone("python -m bench.search", __doc__,
                      {"--comments": 100_000, "--requests": 20}, run, search_targets, argv)


if __name__ == "__main__":
    sys.exit(main())
