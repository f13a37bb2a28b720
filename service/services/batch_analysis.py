"""Batch analysis of JSON Lines threads: streaming, ordered, optionally on several cores.

The engine is loaded once, in the calling process. With several workers the process then
forks them, so they share the loaded model instead of each spending seconds loading its
own; lines go to them in chunks of ``CHUNK``, at most ``AHEAD`` chunks per worker in
flight, so memory stays flat however long the input and no worker waits for another
between chunks. Output order is input order, and the output bytes do not depend on the
number of workers.
"""

from __future__ import annotations

import gc
import json
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from ..scoring.engine import Engine
from ..validation import ValidationError, parse_thread

CHUNK = 16
AHEAD = 4
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


def _work(chunk: list[tuple[int, str]]) -> list[LineResult]:
    return [analyze_line(_worker_engine, *item) for item in chunk]


def _numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    for lineno, line in enumerate(lines, 1):
        if line.strip():
            yield lineno, line


class BatchRunner:
    """The loaded engine and, for ``workers > 1``, the forked worker processes.

    Use as a context manager; create it before starting any thread (a progress bar), since
    the workers are forked from this process.
    """

    def __init__(self, *, workers: int, model_path: str | None, models_dir: Path,
                 engine=None):
        global _worker_engine

        self.engine = engine or Engine.load(model_path, models_dir)
        self.workers = workers
        self._pool = None
        if workers > 1:
            import multiprocessing as mp

            _worker_engine = self.engine
            gc.freeze()  # the model's objects stay shared with the workers, not copied
            self._pool = mp.get_context("fork").Pool(workers)

    def run(self, lines: Iterable[str]) -> Iterator[LineResult]:
        """Yield one LineResult per non-blank input line, in input order."""
        numbered = _numbered(lines)
        if self._pool is None:
            for lineno, line in numbered:
                yield analyze_line(self.engine, lineno, line)
            return
        pending: deque = deque()
        while True:
            while len(pending) < AHEAD * self.workers:
                chunk = list(islice(numbered, CHUNK))
                if not chunk:
                    break
                pending.append(self._pool.apply_async(_work, (chunk,)))
            if not pending:
                return
            yield from pending.popleft().get()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            gc.unfreeze()

    def __enter__(self) -> BatchRunner:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def run_batch(lines: Iterable[str], *, workers: int, model_path: str | None,
              models_dir: Path, engine=None) -> Iterator[LineResult]:
    """Yield one LineResult per non-blank input line, in input order."""
    with BatchRunner(workers=workers, model_path=model_path, models_dir=models_dir,
                     engine=engine) as runner:
        yield from runner.run(lines)
