"""Helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import base64
import contextlib
import json
import uuid
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "data" / "samples" / "threads.jsonl"


def cursor_of(key) -> str:
    """A list cursor as the listing writes them, holding ``key`` (to forge edited ones)."""
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


# cursors no database column can hold, and one that nests too deep to decode
HUGE_CURSOR = cursor_of([2**64, 1, "2026-12-01T00:00:00Z", 1])
HUGE_ID_CURSOR = cursor_of([0, 1, "2026-12-01T00:00:00Z", 2**63])
NESTED_CURSOR = base64.urlsafe_b64encode(b"[" * 2_000).decode()


def new_key(app, platform: str | None = None) -> tuple[str, dict]:
    """A fresh platform (unique name unless given) and the headers carrying its key."""
    from service.store import transaction
    from service.store.keys import create_key

    with app.app_context(), transaction() as session:
        key = create_key(session, platform or f"p-{uuid.uuid4().hex[:10]}")
    return key, {"Authorization": f"Bearer {key}"}


def corpus_thread(index: int = 0) -> dict:
    """A corpus thread without its id and labels, in the contract's input shape."""
    with CORPUS.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i == index:
                thread = json.loads(line)
                break
    thread.pop("labels", None)
    thread.pop("setting", None)
    thread.pop("id", None)
    for comment in thread["comments"]:
        comment.pop("labels", None)
    return thread


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``thread-health serve`` in its own process group, on a free loopback port."""

    def __init__(self, data_dir: Path, env: dict | None = None, workers: int = 1):
        import os
        import sys

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "THREAD_HEALTH_DATA_DIR": str(data_dir), **(env or {})}
        self.command = [str(Path(sys.executable).parent / "thread-health"), "serve",
                        "--port", str(self.port), "--workers", str(workers)]
        self.log = Path(data_dir) / f"server-{self.port}.log"
        self.process = None

    def cli(self, *args: str) -> str:
        """Run another ``thread-health`` command with the same environment; its stdout."""
        import subprocess

        done = subprocess.run([self.command[0], *args], env=self.env, capture_output=True,
                              text=True, check=True, timeout=120)
        return done.stdout

    def start(self, timeout: float = 90) -> Server:
        import subprocess
        import time
        import urllib.request

        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.command, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
            if self.process.poll() is not None:
                break
        raise RuntimeError(f"server did not become ready; log:\n{self.log.read_text()[-3000:]}")

    def kill(self, sig: int | None = None) -> None:
        """Stop the whole process group (SIGTERM by default, SIGKILL for a crash)."""
        import os
        import signal

        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig or signal.SIGTERM)
        self.process.wait(timeout=60)
        self.process = None


def http(method: str, url: str, body=None, key: str | None = None,
         timeout: float = 60) -> tuple[int, dict | None, dict]:
    """One JSON request: (status, JSON body or None, headers)."""
    import urllib.error
    import urllib.request

    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw, status, headers = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        raw, status, headers = exc.read(), exc.code, dict(exc.headers)
    try:
        return status, json.loads(raw) if raw else None, headers
    except ValueError:
        return status, None, headers
