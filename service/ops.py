"""Operational endpoints: liveness and readiness.

/readyz is public (load balancers ask it), so its details carry no absolute path: each one
is cut to its last part, and the full detail of a failing check goes to the log.
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify

from . import __version__

bp = Blueprint("ops", __name__)

# an absolute path: "/" not inside a word, a URL or a relative path, up to a space or ':'
ABSOLUTE_PATH = re.compile(r"(?<![\w.~:/-])/(?:[^\s/:'\"]+/)*([^\s/:'\"]*)")


def without_paths(detail: str) -> str:
    """``detail`` with every absolute path replaced by its last part (a file or folder name)."""
    return ABSOLUTE_PATH.sub(lambda match: match.group(1) or "/", detail)


def _log_failure(name: str, detail: str) -> None:
    """Log a failing check's full detail once per change (probes ask every few seconds)."""
    logged = current_app.extensions.setdefault("readiness_logged", {})
    if logged.get(name) != detail:
        logged[name] = detail
        current_app.logger.warning("readiness check %s fails: %s", name, detail)


@bp.get("/healthz")
def healthz():
    """Liveness: the process answers."""
    return jsonify(status="ok", version=__version__)


@bp.get("/readyz")
def readyz():
    """Readiness: every check registered by a component passes."""
    checks = {name: check() for name, check in current_app.extensions["readiness"].items()}
    for name, (ok, detail) in checks.items():
        if not ok:
            _log_failure(name, detail)
    ready = all(ok for ok, _ in checks.values())
    body = {
        "status": "ready" if ready else "not_ready",
        "checks": {name: {"ok": ok, "detail": without_paths(detail)}
                   for name, (ok, detail) in checks.items()},
    }
    return jsonify(body), 200 if ready else 503
