"""Progress and timing of long steps, whatever stderr is.

On a terminal each step gets a rich bar; otherwise (a log, a pipe, CI) a step writes a line
when it starts, a line every ``interval`` seconds while it runs (even inside one long
item, such as fitting the final model), and a line with its duration when it ends. Either
way the step's duration is printed when it ends, so a log shows where the time went.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO

from .fit import Track

INTERVAL = 5.0  # seconds between two lines of a step, when stderr is not a terminal


class LineProgress:
    """A ``track`` hook writing plain progress lines (see the module docstring)."""

    def __init__(self, stream: TextIO, interval: float = INTERVAL,
                 clock: Callable[[], float] = time.monotonic):
        self.stream, self.interval, self.clock = stream, interval, clock
        self._lock = threading.Lock()
        self._step: tuple[str, int, float] | None = None  # description, total, start
        self._done = 0
        self._last = 0.0

    def _write(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def _status(self, now: float) -> str:
        description, total, start = self._step
        share = f" ({100 * self._done / total:.0f}%)" if total else ""
        return f"{description}: {self._done}/{total}{share}, {now - start:.1f} s"

    def tick(self) -> None:
        """Write the running step's line if ``interval`` passed since the last one."""
        with self._lock:
            now = self.clock()
            if self._step is not None and now - self._last >= self.interval:
                self._last = now
                self._write(self._status(now))

    def __call__(self, items: Iterable, description: str) -> Iterator:
        items = list(items)
        with self._lock:
            start = self._last = self.clock()
            self._step, self._done = (description, len(items), start), 0
            self._write(f"{description}: started ({len(items)} to do)")
        try:
            for item in items:
                yield item
                with self._lock:
                    self._done += 1
                self.tick()
        finally:
            with self._lock:
                self._write(f"{description}: done {self._done}/{len(items)} in "
                            f"{self.clock() - start:.1f} s")
                self._step = None


def _heartbeat(progress: LineProgress, stop: threading.Event) -> None:
    """Tick until stopped, so a step stuck on one long item still writes its lines."""
    while not stop.wait(progress.interval / 4):
        progress.tick()


@contextmanager
def progress_lines(stream: TextIO, interval: float = INTERVAL) -> Iterator[Track]:
    """A ``LineProgress`` with its heartbeat thread, stopped on exit."""
    progress = LineProgress(stream, interval)
    stop = threading.Event()
    thread = threading.Thread(target=_heartbeat, args=(progress, stop), daemon=True,
                              name="progress-lines")
    thread.start()
    try:
        yield progress
    finally:
        stop.set()
        thread.join()


@contextmanager
def progress_bars(terminal: bool | None = None, interval: float = INTERVAL) -> Iterator[Track]:
    """A ``track(items, description)`` hook: rich bars on a terminal, lines otherwise; both
    on stderr, both ending each step with its duration."""
    if terminal is None:
        terminal = sys.stderr.isatty()
    if not terminal:
        with progress_lines(sys.stderr, interval) as track:
            yield track
        return
    from rich.console import Console
    from rich.progress import Progress, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(*Progress.get_default_columns(), TimeElapsedColumn(), console=console,
                  transient=True) as progress:

        def track(items: Iterable, description: str) -> Iterator:
            items = list(items)
            start = time.monotonic()
            yield from progress.track(items, total=len(items), description=description)
            console.print(f"{description}: done in {time.monotonic() - start:.1f} s")

        yield track
