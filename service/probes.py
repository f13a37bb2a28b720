"""Operational endpoints: liveness and readiness.

/readyz is public (load balancers ask it), so its details carry no absolute path: one in
the models folder or the data directory is shown from there ("models/NAME/…"), any other
one by its last part, and the full detail of a failing check goes to the log.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, current_app, jsonify

from .version import __version__

bp = Blueprint("ops", __name__)

# an absolute path: "/" not inside a word, a URL or a relative path, up to a space or ':'
ABSOLUTE_PATH = re.compile(r"(?<![\w.~:/-])/(?:[^\s/:'\"]+/)*([^\s/:'\"]*)")


def without_paths(detail: str, roots: dict[str, str] | None = None) -> str:
    """``detail`` without absolute paths: a path under one of ``roots`` (absolute folder ->
    name to show, e.g. the models folder -> "models") is shown from that name, any other one
    by its last part (a file or folder name)."""
    for root, name in sorted((roots or {}).items(), key=lambda item: -len(item[0])):
        detail = re.sub(re.escape(root.rstrip("/")) + r"(?=[/\s:'\"]|$)", name, detail)
    return ABSOLUTE_PATH.sub(lambda match: match.group(1) or "/", detail)


def _roots() -> dict[str, str]:
    """The configured folders a detail may name, each as it is and resolved."""
    config = current_app.config
    named = {config["MODELS_DIR"]: "models", config["DATA_DIR"]: "<data dir>"}
    return {str(variant): name for folder, name in named.items()
            for variant in (Path(folder), Path(folder).resolve())}


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
        "checks": {name: {"ok": ok, "detail": without_paths(detail, _roots())}
                   for name, (ok, detail) in checks.items()},
    }
    return jsonify(body), 200 if ready else 503
