"""Load the analysis engine once per process and report it to /readyz."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from .model_store import BundleError
from .nlp.pipelines import PipelineError


def init_app(app: Flask) -> None:
    """Load pipelines and the model bundle; a bad bundle fails readiness, not the process."""
    state = {"engine": None, "error": "model loading disabled (LOAD_MODEL=False)"}
    app.extensions["engine_state"] = state
    if app.config.get("LOAD_MODEL", True):
        from .scoring.engine import Engine

        path = app.config.get("MODEL_PATH")
        try:
            state["engine"] = Engine.load(Path(path) if path else None,
                                          app.config["MODELS_DIR"])
            state["error"] = None
            app.logger.info("model %s loaded", state["engine"].model_version)
        except (BundleError, PipelineError, OSError) as exc:
            state["error"] = str(exc)
            app.logger.error("model not loaded: %s", exc)

    def check() -> tuple[bool, str]:
        engine = state["engine"]
        if engine is None:
            return False, state["error"]
        return True, f"model {engine.model_version}"

    app.extensions["readiness"]["model"] = check


def engine():
    """The engine of the current app (None when it could not be loaded)."""
    return current_app.extensions["engine_state"]["engine"]
