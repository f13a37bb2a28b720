"""Operational endpoints: liveness and readiness."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from . import __version__

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness: the process answers."""
    return jsonify(status="ok", version=__version__)


@bp.get("/readyz")
def readyz():
    """Readiness: every check registered by a component passes."""
    checks = {name: check() for name, check in current_app.extensions["readiness"].items()}
    ready = all(ok for ok, _ in checks.values())
    body = {
        "status": "ready" if ready else "not_ready",
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
    }
    return jsonify(body), 200 if ready else 503
