"""The model in use."""

from __future__ import annotations

from flask import jsonify

from . import bp, engine_or_503


@bp.get("/models/current")
def current_model():
    engine = engine_or_503()
    meta = engine.bundle.metadata
    return jsonify({
        "model_version": engine.model_version,
        "created_at": meta.get("created_at"),
        "labels": meta.get("labels"),
        "languages": meta.get("languages"),
        "promotion_threshold": engine.threshold,
        "metrics": meta.get("metrics", {}),
    })
