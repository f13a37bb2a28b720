"""Batch analysis of JSON Lines threads: streaming, ordered, optionally on several cores.

Lines are read in chunks of ``CHUNK`` per worker, so memory stays flat however long the
input; each worker process loads the engine once. Output order is input order, and the
output bytes do not depend on the number of workers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from .validation import ValidationError, parse_thread

CHUNK = 64
_worker_engine = None


@dataclass(frozen=True)
class LineResult:
    """One input line's outcome: an output line, or an error message."""

    lineno: int
    output: str | None = None
    error: str | None = None


def analyze_line(engine, lineno: int, line: str) -> LineResult:
    """Parse, validate and analyse one input line."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return LineResult(lineno, error=f"not valid JSON ({exc.msg} at column {exc.colno})")
    try:
        thread = parse_thread(obj)
    except ValidationError as exc:
        return LineResult(lineno, error=str(exc))
    analysis = engine.analyze_thread(thread)
    return LineResult(lineno, output=json.dumps(analysis, ensure_ascii=False))


def _init_worker(model_path: str | None, models_dir: str) -> None:
    global _worker_engine
    from .scoring.engine import Engine

    _worker_engine = Engine.load(model_path, Path(models_dir))


def _work(item: tuple[int, str]) -> LineResult:
    return analyze_line(_worker_engine, *item)


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    for lineno, line in enumerate(lines, 1):
        if line.strip():
            yield lineno, line


def run_batch(lines: Iterable[str], *, workers: int, model_path: str | None,
              models_dir: Path, engine=None) -> Iterator[LineResult]:
    """Yield one LineResult per non-blank input line, in input order."""
    numbered = _numbered(lines)
    if workers <= 1:
        from .scoring.engine import Engine

        engine = engine or Engine.load(model_path, models_dir)
        for lineno, line in numbered:
            yield analyze_line(engine, lineno, line)
        return
    import multiprocessing as mp

    context = mp.get_context("forkserver")
    with context.Pool(workers, initializer=_init_worker,
                      initargs=(model_path, str(models_dir))) as pool:
        while chunk := list(islice(numbered, CHUNK * workers)):
            yield from pool.imap(_work, chunk, chunksize=max(1, CHUNK // 4))
