"""A loop that runs in a daemon thread of the service until it is stopped, woken early by
an event when there is work: what the jobs' database worker and the webhook delivery
worker share. Below the services layer (it imports nothing of the service) so that both
packages may use it."""

from __future__ import annotations

import threading
from typing import Self


class BackgroundLoop:
    """``start`` runs ``self.run`` in a daemon thread named ``name``; ``stop`` asks the loop
    to end (``stopping``), wakes it and waits up to ``stop_timeout`` seconds for it."""

    name = "background"
    stop_timeout = 10.0

    def __init__(self, wake: threading.Event):
        self.wake = wake  # set by whoever queues work for this loop, in this process
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def run(self) -> None:
        raise NotImplementedError

    def idle(self, poll: float) -> None:
        """Wait ``poll`` seconds or until woken, then listen for the next wake-up."""
        self.wake.wait(poll)
        self.wake.clear()

    def start(self) -> Self:
        """Run the loop in its thread; the loop itself, for chaining."""
        self.thread = threading.Thread(target=self.run, name=self.name, daemon=True)
        self.thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        self.stopping.set()
        self.wake.set()
        if self.thread is not None:
            self.thread.join(self.stop_timeout if timeout is None else timeout)
