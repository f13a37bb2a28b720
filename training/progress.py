"""Progress bars for long steps, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from .fit import Track, no_track


@contextmanager
def progress_bars(enabled: bool | None = None) -> Iterator[Track]:
    """A ``track(items, description)`` hook drawing one rich bar per step on stderr."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield no_track
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:

        def track(items: Iterable, description: str) -> Iterable:
            items = list(items)
            return progress.track(items, total=len(items), description=description)

        yield track
