"""Production serving: gunicorn, with the app created once per worker."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from ..files import private_dir
from ..jobs import start_embedded_worker as start_jobs
from ..webhooks import start_embedded_worker

# An API key in a query string (Perspective's clients send ``?key=``) never reaches a log.
QUERY_KEY = re.compile(r"([?&]key=)[^&\s]*")


class RedactingLogger(Logger):
    """gunicorn's logger, with ``key=`` values of the request line and query redacted."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["r"] = QUERY_KEY.sub(r"\1<redacted>", atoms["r"])
        if atoms.get("q"):
            atoms["q"] = QUERY_KEY.sub(r"\1<redacted>", "?" + atoms["q"])[1:]
        return atoms


class GunicornServer(BaseApplication):
    """Run ``create_app()`` under gunicorn; each worker loads the model once after fork."""

    def __init__(self, options: dict, app_factory):
        self.options = options
        self.app_factory = app_factory
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self):
        """Runs in each worker after the fork: the app, its webhook delivery thread and,
        without Redis, its job thread."""

        app = self.app_factory()
        start_embedded_worker(app)
        start_jobs(app)
        return app


def metrics_dir(data_dir: Path) -> Path:
    """A fresh folder where every worker writes its Prometheus values, summed by /metrics.

    Set before any worker starts, and before ``prometheus_client`` is first imported."""
    folder = Path(data_dir) / "prometheus"
    shutil.rmtree(folder, ignore_errors=True)
    private_dir(folder)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return folder


def _child_exit(_server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def _worker_exit(_server, worker) -> None:
    """Let the worker's webhook and job threads finish what they are doing."""
    app = getattr(worker, "wsgi", None)
    for name in ("webhooks_worker", "jobs_worker"):
        thread = app and app.extensions.get(name)
        if thread is not None:
            thread.stop()


def run(host: str, port: int, workers: int, app_factory, timeout: int = 60) -> None:
    """Serve until SIGTERM/SIGINT; in-flight requests get ``graceful_timeout`` to finish."""
    options = {
        "child_exit": _child_exit,
        "worker_exit": _worker_exit,
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": 8,
        "timeout": timeout,
        "graceful_timeout": 30,
        "accesslog": "-",
        "logger_class": RedactingLogger,
        "errorlog": "-",
        "loglevel": "info",
    }
    GunicornServer(options, app_factory).run()
