"""Load the analysis engine once per process, follow ``models/current``, report to /readyz.

Promotion (``thread-health models promote``) rewrites ``models/current`` atomically. Each
worker looks at that file at most once per ``MODEL_CHECK_INTERVAL`` seconds (default 1)
when a request asks for the engine; on a change, the one request that noticed it loads
the new bundle while every other request keeps using the engine it already has, then a
single reference is swapped. A bundle that fails verification is logged and reported in
/readyz; the previous engine keeps serving. Whatever goes wrong while a bundle is read
(``LOAD_ERRORS``), the process stays up. ``THREAD_HEALTH_MODEL`` (``MODEL_PATH``) pins a
bundle: such a process never follows promotions.

Once an engine is in place, everything alive is frozen out of the garbage collector's
full collections (``heap.settle``).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from flask import Flask, current_app

from .heap import settle
from .nlp.pipelines import PipelineError
from .scoring.bundles import CURRENT_FILE, BundleError, current_bundle_path, load_bundle
from .scoring.engine import Engine

# Reading a bundle checks every field (BundleError); the others are what an unforeseen
# defect of a bundle could still raise while the engine is built from it: they refuse the
# bundle too instead of ending the process.
LOAD_ERRORS = (BundleError, PipelineError, OSError, ValueError, KeyError, TypeError,
               IndexError, MemoryError)


def _reason(exc: Exception) -> str:
    """A refused bundle's reason; an exception other than ours is named by its type."""
    if isinstance(exc, BundleError | PipelineError):
        return str(exc)
    return f"the bundle cannot be used ({type(exc).__name__}: {exc})"


class EngineHolder:
    """The engine a worker serves with, and the promoted bundle it was loaded from."""

    def __init__(self, models_dir: Path, pinned: Path | None, interval: float, logger):
        self.models_dir, self.pinned, self.interval = Path(models_dir), pinned, interval
        self.follow = pinned is None  # follow promotions of models/current
        self.logger = logger
        self.engine = None
        self.error: str | None = None  # why there is no engine
        self.refused: str | None = None  # why the last promoted bundle was not taken
        self._seen: tuple | None = None
        self._checked = 0.0
        self._reloading = threading.Lock()

    def _pointer(self) -> tuple | None:
        """What identifies the promoted bundle now: the pointer's mtime and content."""
        marker = self.models_dir / CURRENT_FILE
        try:
            return marker.stat().st_mtime_ns, marker.read_text(encoding="utf-8").strip()
        except OSError:
            return None

    def _load(self, path: Path | None):
        """A full engine for ``path`` (or the promoted bundle), reusing the NLP pipelines."""

        if self.engine is None:
            return Engine.load(path, self.models_dir)
        bundle = load_bundle(path or current_bundle_path(self.models_dir))
        return Engine(bundle, self.engine.pipelines, self.engine.detector)

    def start(self) -> None:
        """First load; failure leaves no engine and the reason for /readyz."""
        self._seen, self._checked = self._pointer(), time.monotonic()
        try:
            self.engine = self._load(self.pinned)
            settle()
            self.logger.info("model %s loaded", self.engine.model_version)
        except LOAD_ERRORS as exc:
            self.error = _reason(exc)
            self.logger.error("model not loaded: %s", self.error)

    def get(self):
        """The engine to use for one request; follows a promotion when it is time to look."""
        if self.follow and time.monotonic() - self._checked >= self.interval:
            self.refresh()
        return self.engine

    def refresh(self) -> None:
        """Load the promoted bundle if the pointer changed; never blocks other requests."""
        if not self._reloading.acquire(blocking=False):
            return  # another request is loading it; keep serving the current engine
        try:
            self._checked = time.monotonic()
            pointer = self._pointer()
            if pointer == self._seen:
                return
            self._seen = pointer
            try:
                engine = self._load(None)
            except LOAD_ERRORS as exc:
                if self.engine is None:
                    self.error = _reason(exc)
                else:
                    self.refused = f"promoted bundle refused, previous model kept: {_reason(exc)}"
                self.logger.error("promoted bundle not loaded: %s", _reason(exc))
                return
            self.engine, self.error, self.refused = engine, None, None
            settle()
            self.logger.info("model %s loaded after promotion", engine.model_version)
        finally:
            self._reloading.release()

    def readiness(self) -> tuple[bool, str]:
        """Ready while some model serves; the detail says which, and any refused bundle."""
        engine = self.get()
        if engine is None:
            return False, self.error or "no model"
        detail = f"model {engine.model_version}"
        if self.pinned is not None:
            detail += " (pinned by THREAD_HEALTH_MODEL; promotions not followed)"
        return True, detail + (f"; {self.refused}" if self.refused else "")


def init_app(app: Flask) -> None:
    """Load pipelines and the model bundle; a bad bundle fails readiness, not the process."""
    pinned = app.config.get("MODEL_PATH")
    holder = EngineHolder(app.config["MODELS_DIR"], Path(pinned) if pinned else None,
                          float(app.config.get("MODEL_CHECK_INTERVAL", 1.0)), app.logger)
    app.extensions["engine_holder"] = holder
    if app.config.get("LOAD_MODEL", True):
        holder.start()
    else:
        holder.follow = False
        holder.error = "model loading disabled (LOAD_MODEL=False)"
    app.extensions["readiness"]["model"] = holder.readiness


def engine():
    """The engine of the current app (None when no bundle could be loaded)."""
    return current_app.extensions["engine_holder"].get()
