"""Batch throughput: the real ``thread-health analyze`` on the workload, and its floor.

Comments per second are the workload's comments over the command's wall time, start-up
and model loading included (what a user waits for). The model load time of one process is
measured on its own (``bench.probe load``), and the spaCy tokenizer alone on the same texts
gives the floor no analysis can beat. ``wait4`` gives the single-process run's peak resident
set and CPU time (CPU time does not depend on what else the machine is doing; worker
processes of a pool are not counted there, so only the single-process run reports them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

EXE = str(Path(sys.executable).with_name("thread-health"))


def run_cli(input_path: Path, output_path: Path, workers: int) -> dict:
    """Run ``thread-health analyze`` once; wall time, exit status and peak memory."""
    command = [EXE, "analyze", str(input_path), "--output", str(output_path),
               "--workers", str(workers)]
    log = output_path.with_suffix(".log")
    with log.open("wb") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{log.read_text()[-2000:]}")
    result = {"seconds": round(seconds, 2)}
    if workers == 1:
        result["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 2)
        result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    return result


def probe(*args: str) -> dict:
    """Run ``python -m bench.probe ARGS`` in a fresh process; its JSON result."""
    done = subprocess.run([sys.executable, "-m", "bench.probe", *args], capture_output=True,
                          text=True, check=True, timeout=1800)
    return json.loads(done.stdout.strip().splitlines()[-1])


def tokenizer_floor(threads: list[dict], analyses_path: Path) -> dict:
    """The spaCy tokenizer alone on the workload's texts, each in its detected language."""
    from service.nlp.pipelines import load_pipelines
    from service.nlp.text import mask

    pipelines = load_pipelines()
    by_lang: dict[str, list[str]] = {lang: [] for lang in pipelines}
    with analyses_path.open(encoding="utf-8") as fh:
        for thread, line in zip(threads, fh, strict=True):
            for comment, result in zip(thread["comments"], json.loads(line)["comments"],
                                       strict=True):
                lang = result["language"] if result["language"] in pipelines else "en"
                by_lang[lang].append(mask(comment["text"].strip()))
    count = sum(map(len, by_lang.values()))
    started = time.perf_counter()
    for lang, texts in by_lang.items():
        for _doc in pipelines[lang].tokenizer.pipe(texts, batch_size=256):
            pass
    seconds = time.perf_counter() - started
    return {"comments": count, "seconds": round(seconds, 3),
            "comments_per_s": round(count / seconds)}


def run(threads: list[dict], workdir: Path, workers: tuple[int, ...] = (1, 2)) -> dict:
    """Throughput per worker count, the load time, the tokenizer floor and the ratios."""
    from bench.workload import write_jsonl

    comments = sum(len(t["comments"]) for t in threads)
    source = write_jsonl(threads, workdir / "workload.jsonl")
    load = probe("load")
    figures: dict = {"threads": len(threads), "comments": comments, "load": load, "cli": {}}
    outputs = {}
    for n in workers:
        outputs[n] = workdir / f"analyses-{n}.jsonl"
        result = run_cli(source, outputs[n], n)
        result["comments_per_s"] = round(comments / result["seconds"])
        busy = result["seconds"] - load["process_s"]
        result["comments_per_s_after_load"] = round(comments / busy) if busy > 0 else None
        if "cpu_s" in result:
            result["comments_per_cpu_s"] = round(comments / result["cpu_s"])
        figures["cli"][str(n)] = result
    first = outputs[workers[0]]
    figures["same_output_any_workers"] = all(
        outputs[n].read_bytes() == first.read_bytes() for n in workers)
    floor = tokenizer_floor(threads, first)
    figures["tokenizer"] = floor
    figures["floor_ratio"] = {n: round(floor["comments_per_s"] / r["comments_per_s"], 1)
                              for n, r in figures["cli"].items()}
    return figures
