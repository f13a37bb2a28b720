"""Run the benchmarks, print every target with PASS/FAIL, record the results.

    .venv/bin/python -m bench                      # everything (make bench), ~5 minutes
    .venv/bin/python -m bench --parts batch,scale  # some parts
    .venv/bin/python -m bench --comments 2000 --threads 100 --name quick

Parts run one after the other (never in parallel: they would measure each other). A part
that fails is recorded with its error and the others still run; the exit status is 1 when
a part failed or a target was missed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import report, targets
from bench.workload import generate


@dataclass(frozen=True)
class Part:
    """One benchmark: what it measures, and the targets its figures are held to."""

    name: str
    measure: Callable[[argparse.Namespace, list[dict], Path], dict]
    targets: Callable[[dict], list[targets.Target]]
    available: Callable[[], str | None] = lambda: None  # why it cannot run, or None


def _batch(args, threads, workdir):
    from bench import batch

    return batch.run(threads, workdir)


def _scale(args, threads, workdir):
    from bench import scale

    return scale.run()


def _cold_start(args, threads, workdir):
    from bench import http_load

    return http_load.cold_start(workdir)


def _http(args, threads, workdir):
    from bench import http_load

    return http_load.run(threads, workdir, seconds=args.http_seconds)


def _http_available() -> str | None:
    """The HTTP API and `keys create` are needed to drive the analysis endpoints."""
    root = Path(__file__).resolve().parent.parent
    if not (root / "service" / "api").is_dir():
        return "service/api/ does not exist yet"
    from service.cli import main

    return None if main.get_command(None, "keys") else "`thread-health keys` does not exist yet"


def _coral(args, threads, workdir):
    from bench import coral

    return coral.run(workdir)


def _coral_targets(figures):
    from bench import coral

    return coral.coral_targets(figures)


def _signin(args, threads, workdir):
    from bench import signin

    return signin.run(workdir / "data")


def _signin_targets(figures):
    from bench import signin

    return signin.signin_targets(figures)
def _append(args, threads, workdir):
    from bench import append

    return append.run(workdir)


def _append_targets(figures):
    from bench import append

    return append.append_targets(figures)
def _moderation_page(args, threads, workdir):
    from bench import moderation_page

    return moderation_page.run(workdir)


def _moderation_page_targets(figures):
    from bench import moderation_page

    return moderation_page.page_targets(figures)


def _jobs(args, threads, workdir):
    from bench import jobs

    return jobs.run(threads, workdir)


def _jobs_targets(figures):
    from bench import jobs

    return jobs.jobs_targets(figures)


def _redis_available() -> str | None:
    """The queue part needs the Redis server of the machine."""
    from redis import Redis, RedisError

    try:
        Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=2).ping()
    except RedisError as exc:
        return f"no Redis answers on 127.0.0.1:6379 ({exc})"
    return None


def _search(args, threads, workdir):
    from bench import search

    return search.run(workdir)


def _search_targets(figures):
    from bench import search

    return search.search_targets(figures)


def _quality(args, threads, workdir):
    from bench import quality

    return quality.run()


PARTS = (
    Part("batch", _batch, targets.batch_targets),
    Part("scale", _scale, targets.scale_targets),
    Part("cold_start", _cold_start, targets.cold_start_targets),
    Part("http", _http, targets.http_targets, _http_available),
    Part("coral", _coral, _coral_targets),
    Part("signin", _signin, _signin_targets),
    Part("append", _append, _append_targets, _http_available),
    Part("moderation_page", _moderation_page, _moderation_page_targets),
    Part("jobs", _jobs, _jobs_targets, _redis_available),
    Part("search", _search, _search_targets),
    Part("quality", _quality, targets.quality_targets),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default=",".join(p.name for p in PARTS),
                        help="comma-separated, from: " + ", ".join(p.name for p in PARTS))
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--http-seconds", type=float, default=8.0,
                        help="duration of each HTTP load run")
    parser.add_argument("--name", help="results file name after the date (default: time-commit)")
    args = parser.parse_args(argv)
    wanted = args.parts.split(",")
    unknown = set(wanted) - {p.name for p in PARTS}
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")

    results: dict = {"machine": report.machine(), "workload": {
        "threads": args.threads, "comments": args.comments, "seed": args.seed},
        "parts": {}, "targets": [], "errors": {}, "skipped": {}}
    threads = generate(threads=args.threads, comments=args.comments, seed=args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="thread-health-bench-"))
    try:
        for part in (p for p in PARTS if p.name in wanted):
            if reason := part.available():
                print(f"SKIP  {part.name}: {reason}", flush=True)
                results["skipped"][part.name] = reason
                continue
            print(f"----  {part.name}", flush=True)
            started = time.perf_counter()
            (workdir / part.name).mkdir()
            try:
                figures = part.measure(args, threads, workdir / part.name)
            except Exception as exc:  # record it; the other parts still run
                traceback.print_exc()
                results["errors"][part.name] = f"{type(exc).__name__}: {exc}"[:500]
                continue
            figures["bench_seconds"] = round(time.perf_counter() - started, 1)
            results["parts"][part.name] = figures
            for target in part.targets(figures):
                print(target.line(), flush=True)
                results["targets"].append({"part": part.name, **target.to_dict()})
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    path = report.save(results, args.name)
    print(f"results: {path}\nsummary: {report.RESULTS / 'README.md'}")
    failed = results["errors"] or not all(t["passed"] for t in results["targets"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
