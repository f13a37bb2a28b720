"""Measurements that need a fresh process; the runner starts one per measurement.

    .venv/bin/python -m bench.probe load              # import + Engine.load times
    .venv/bin/python -m bench.probe thread --size 1000  # one thread through analyze_thread

Each prints one JSON object on stdout. Memory is the process's resident set from
``getrusage`` (peak) and ``/proc/self/statm`` (now), plus tracemalloc's peak of what the
analysis itself allocates (a second, untimed run: tracing slows Python down).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
import tracemalloc

START = time.perf_counter()
WARM_UP = 500  # comments analysed before any timed thread


def rss_mb() -> float:
    """Resident set now, in MB."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    """Largest resident set so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_engine():
    """Import and load the engine the way the CLI does; the engine and the two timings."""
    from service.config import load_config

    imported = time.perf_counter()
    from service.scoring.engine import Engine

    imports = time.perf_counter() - imported
    config = load_config()
    started = time.perf_counter()
    engine = Engine.load(config.get("MODEL_PATH"), config["MODELS_DIR"])
    return engine, {"imports_s": round(imports, 3),
                    "engine_load_s": round(time.perf_counter() - started, 3)}


def probe_load() -> dict:
    engine, times = load_engine()
    return {**times, "process_s": round(time.perf_counter() - START, 3),
            "model_version": engine.model_version, "rss_mb": round(rss_mb(), 1)}


def probe_thread(size: int, seed: int) -> dict:
    """Time one ``size``-comment thread (median of 3 or more runs) and its memory."""
    from bench.workload import Workload, read_corpus
    from service.validation import ThreadInput, parse_thread

    engine, times = load_engine()
    workload = Workload(read_corpus())
    rng = random.Random(seed)
    # Warm up as a running service is: token caches and vocabulary hold the common words.
    engine.analyze_thread(parse_thread(workload.thread(rng, "warm-up", WARM_UP)))
    raw = workload.thread(rng, f"scale-{size}", size)
    # Built directly: the API caps a request at 2,000 comments, the engine does not.
    thread = ThreadInput(id=raw["id"], language=None, comments=_comments(raw))
    loaded_rss = rss_mb()
    repeats = max(3, min(20, 2000 // size))  # the median of at least 3: this VM is noisy
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        engine.analyze_thread(thread)
        seconds.append(time.perf_counter() - started)
    peak = peak_rss_mb()
    tracemalloc.start()
    engine.analyze_thread(thread)
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    seconds.sort()
    return {"size": size, "seconds": round(seconds[len(seconds) // 2], 4), "repeats": repeats,
            **times, "rss_loaded_mb": round(loaded_rss, 1), "peak_rss_mb": round(peak, 1),
            "traced_peak_mb": round(traced_peak, 1)}


def _comments(raw: dict) -> list:
    from service.nlp.features import CommentInput

    return [CommentInput(id=c["id"], author=c["author"], text=c["text"].strip(),
                         reply_to=c["reply_to"]) for c in raw["comments"]]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="One measurement in a fresh process.")
    parser.add_argument("what", choices=["load", "thread"])
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    result = probe_load() if args.what == "load" else probe_thread(args.size, args.seed)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
