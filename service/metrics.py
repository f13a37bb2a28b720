"""Prometheus metrics: requests by route and status, latency, comments analysed, model.

Under gunicorn with several workers, ``serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at a
fresh folder before the workers start, and /metrics adds up every worker's values.

/metrics wants ``Authorization: Bearer <METRICS_TOKEN>`` when that setting
(``THREAD_HEALTH_METRICS_TOKEN``) is set; without it, only clients on the loopback
address are answered (behind a reverse proxy on the same machine every client looks
local: set the token there).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time

from flask import Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from .errors import problem

REQUESTS = Counter("thread_health_http_requests_total", "HTTP requests by route and status.",
                   ["method", "route", "status"])
LATENCY = Histogram("thread_health_http_request_duration_seconds",
                    "Time to answer a request, by route.", ["route"],
                    buckets=(0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5))
COMMENTS = Counter("thread_health_comments_analysed_total",
                   "Comments classified (stored appends count only new comments).")
MODEL = Gauge("thread_health_model_info", "The model version each worker serves (value 1).",
              ["version"], multiprocess_mode="liveall")


def comments_analysed(count: int) -> None:
    if count:
        COMMENTS.inc(count)


_shown = {"version": None}


def _show_model() -> None:
    """Keep the model gauge on the version this worker serves (it changes on promotion)."""
    holder = current_app.extensions.get("engine_holder")
    engine = holder.engine if holder is not None else None
    version = engine.model_version if engine is not None else None
    if version != _shown["version"]:
        if _shown["version"] is not None:
            MODEL.labels(version=_shown["version"]).set(0)
        if version is not None:
            MODEL.labels(version=version).set(1)
        _shown["version"] = version


def _start() -> None:
    g.started = time.perf_counter()


def _observe(response):
    _show_model()
    route = request.url_rule.rule if request.url_rule else "unmatched"
    started = g.get("started")
    if started is not None:
        LATENCY.labels(route).observe(time.perf_counter() - started)
    REQUESTS.labels(request.method, route, str(response.status_code)).inc()
    return response


def _refusal() -> Response | None:
    """None when this request may read /metrics, else the 401/403 problem that says why."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(),
                                                              str(token).encode()):
            return None
        return problem(401, "Unauthorized", "Send the metrics token: 'Authorization: Bearer "
                       "<THREAD_HEALTH_METRICS_TOKEN>'.",
                       [{"field": "Authorization", "message": "expected 'Bearer <metrics token>'"}],
                       kind="unauthorized", headers={"WWW-Authenticate": "Bearer"})
    try:
        local = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:  # no address (a Unix socket): not known to be local
        local = False
    if local:
        return None
    return problem(403, "Forbidden", "Without THREAD_HEALTH_METRICS_TOKEN, /metrics answers "
                   "only on the loopback address; set the token to read it from elsewhere.",
                   kind="forbidden")


def _metrics_view():
    refusal = _refusal()
    if refusal is not None:
        return refusal
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest()
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_observe)
    app.add_url_rule("/metrics", "metrics", _metrics_view, methods=["GET"])
