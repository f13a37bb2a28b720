"""Helpers of the webhook tests: a real HTTP receiver on 127.0.0.1, the documented
verification recipe (taken from docs/webhooks.md, as a platform would copy it), apps on
each database, endpoints and the worker with short delays."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from service import create_app
from service.store import transaction
from service.store.keys import get_or_create_platform
from service.webhooks.endpoints import create_endpoint, parse_endpoint
from service.webhooks.settings import from_config
from service.webhooks.worker import Worker

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
LOOPBACK = "127.0.0.0/8"
FAST = {"WEBHOOK_ALLOWED_NETWORKS": LOOPBACK, "WEBHOOK_RETRY_BASE": 0.2,
        "WEBHOOK_RETRY_MAX": 1.0, "WEBHOOK_TIMEOUT": 2, "WEBHOOK_POLL": 0.1,
        "WEBHOOK_MAX_ATTEMPTS": 100}


def recipe() -> dict:
    """The namespace of the Python recipe of docs/webhooks.md, run as a receiver would."""
    code = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    namespace: dict = {}
    exec(compile(code, str(DOC), "exec"), namespace)  # our own document
    return namespace


class Receiver:
    """An HTTP server in a thread that records every POST (headers, raw body) and answers
    ``status`` (after ``delay`` seconds)."""

    def __init__(self, port: int = 0, status: int = 200, delay: float = 0.0,
                 location: str | None = None):
        self.port, self.status, self.delay, self.location = port, status, delay, location
        self.received: list[tuple[str, dict, bytes]] = []
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> Receiver:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                owner.received.append((self.path, dict(self.headers), body))
                time.sleep(owner.delay)
                self.send_response(owner.status)
                if owner.location:
                    self.send_header("Location", owner.location)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/th"

    def events(self) -> list[dict]:
        return [json.loads(body) for _, _, body in self.received]

    def wait_for(self, count: int, timeout: float = 30) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.events()


def make_app(tmp_path, database_url: str | None = None, **config):
    settings = {"DATA_DIR": tmp_path, "TESTING": True, "LOAD_MODEL": False,
                "AUTO_MIGRATE": True, **FAST, **config}
    if database_url:
        settings["DATABASE_URL"] = database_url
    return create_app(settings)


def add_endpoint(app, platform: str, url: str, events=None) -> tuple[str, str]:
    """Register an endpoint through the store; (endpoint id, secret)."""
    from service.webhooks import EVENT_TYPES

    new = parse_endpoint({"url": url, "events": list(events or EVENT_TYPES)},
                         app.extensions["webhooks"].allowed_networks)
    with app.app_context(), transaction() as session:
        platform_id = get_or_create_platform(session, platform).id
        endpoint, secret = create_endpoint(session, platform_id, new, "test")
        return endpoint.public_id, secret


def worker(app, **overrides) -> Worker:
    settings = from_config({**app.config, **overrides})
    return Worker(app.extensions["db_sessions"], settings,
                  readers=app.extensions["db_read_sessions"])


def drain(sender: Worker, rounds: int = 50) -> int:
    """Run the worker's rounds until nothing is due; the attempts made."""
    total = 0
    for _ in range(rounds):
        sent = sender.run_once()
        if not sent:
            break
        total += sent
    return total
