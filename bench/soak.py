"""Load and soak: N clients for S seconds mixing appends, reads and analyses, then a check
that every acknowledged comment is stored exactly once and no request failed.

    .venv/bin/python -m bench.soak --seconds 60 --clients 16   # PostgreSQL, 127.0.0.1:5432

Loopback only, bounded in time. Writes ``bench/results/soak-<time>.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.helpers import Server, corpus_thread, http

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
RESULTS = Path(__file__).resolve().parent / "results"


def _texts(count: int = 40) -> list[str]:
    return [c["text"] for i in range(count) for c in corpus_thread(i)["comments"]]


def run(url: str, key: str, *, clients: int, seconds: float, threads: int = 8,
        seed: int = 0) -> dict:
    """Drive the server; returns request counts, failures and what was acknowledged."""
    texts = _texts()
    acknowledged: dict[str, set[str]] = defaultdict(set)
    counts: Counter[str] = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        sent: dict[str, list[dict]] = defaultdict(list)
        serial = 0
        while time.monotonic() < stop:
            tid = f"soak-{rng.randrange(threads)}"
            op = rng.choices(["append", "read", "analyze"], [5, 3, 2])[0]
            batch: list[dict] = []
            if op == "append":
                for _ in range(rng.randint(1, 4)):
                    serial += 1
                    batch.append({"id": f"c{number}-{serial}", "author": f"user{number}",
                                  "text": rng.choice(texts)})
                resend = sent[tid][-2:] if sent[tid] and rng.random() < 0.3 else []
                status, _, _ = http("POST", f"{url}/v1/threads/{tid}/comments",
                                    {"comments": resend + batch}, key)
                ok = status == 200
                if ok:
                    sent[tid].extend(batch)
            elif op == "read":
                status, _, _ = http("GET", f"{url}/v1/threads/{tid}", key=key)
                ok = status in (200, 404)
            else:
                status, _, _ = http("POST", f"{url}/v1/analyze/comment",
                                    {"text": rng.choice(texts)}, key)
                ok = status == 200
            with lock:
                counts[op] += 1
                if not ok:
                    failures.append(f"{op} {tid}: HTTP {status}")
                elif op == "append":
                    acknowledged[tid].update(c["id"] for c in batch)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    total = sum(counts.values())
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": dict(counts),
            "requests_total": total, "requests_per_second": round(total / elapsed, 1),
            "failures": failures,
            "acknowledged": {k: sorted(v) for k, v in acknowledged.items()}}


def check(db_url: str, platform: str, acknowledged: dict[str, list[str]]) -> dict:
    """Every acknowledged comment stored exactly once; each thread's latest analysis covers
    all its comments (the platform's threads only)."""
    engine = create_engine(db_url)
    problems: list[str] = []
    checked = 0
    with engine.connect() as connection:
        for tid, ids in acknowledged.items():
            rows = connection.execute(text(
                "SELECT c.external_id FROM comments c JOIN threads t ON t.id = c.thread_id "
                "JOIN platforms p ON p.id = t.platform_id "
                "WHERE t.external_id = :tid AND p.name = :platform"),
                {"tid": tid, "platform": platform}).scalars().all()
            stored = Counter(rows)
            checked += len(ids)
            problems += [f"{tid}/{cid}: stored {stored[cid]} times" for cid in ids
                         if stored[cid] != 1]
            covered = connection.execute(text(
                "SELECT a.comment_count FROM analyses a JOIN threads t ON t.id = a.thread_id "
                "JOIN platforms p ON p.id = t.platform_id "
                "WHERE t.external_id = :tid AND p.name = :platform "
                "ORDER BY a.id DESC LIMIT 1"), {"tid": tid, "platform": platform}).scalar()
            if covered != len(rows):
                problems.append(f"{tid}: latest analysis covers {covered} of {len(rows)}")
    engine.dispose()
    return {"comments_checked": checked, "problems": problems}


def main() -> None:
    parser = argparse.ArgumentParser(description="Load and soak test on loopback.")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=PG_URL)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"DATABASE_URL": args.database_url,
               "THREAD_HEALTH_API_RATE_LIMIT": "100000/second"}
        server = Server(Path(tmp), env, workers=args.workers)
        platform = f"soak-{int(time.time())}"
        key = server.cli("keys", "create", "--platform", platform).strip().splitlines()[-1]
        server.start()
        try:
            stats = run(server.url, key, clients=args.clients, seconds=args.seconds,
                        seed=int(time.time()))
        finally:
            server.kill()
        verdict = check(args.database_url, platform, stats.pop("acknowledged"))
    record = {"date": datetime.now(UTC).isoformat(timespec="seconds"), **stats, **verdict,
              "workers": args.workers, "database": args.database_url.split("@")[-1]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"soak-{record['date'].replace(':', '')}.json"
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in record.items() if k != "problems"}, indent=2))
    print(f"problems: {len(record['problems'])}; failures: {len(record['failures'])}; "
          f"written to {out}")
    raise SystemExit(1 if record["problems"] or record["failures"] else 0)


if __name__ == "__main__":
    main()
