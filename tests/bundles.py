"""A small real model for the bundle and scoring tests: scikit-learn classifiers fitted
(with the training config's settings) on the first threads of data/samples, exported to
the plain form a bundle holds, and bundles written from it."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
THREADS = 16


@cache
def fitted() -> tuple:
    """(act sklearn model, promotion sklearn model, prepared comments), fitted once."""
    from threadpoolctl import threadpool_limits

    from service.nlp.language import LanguageDetector
    from service.nlp.pipelines import load_pipelines
    from service.scoring.classifier import calibrated
    from service.vocab import ACTS, PROMOTION
    from training.examples import build_examples
    from training.fit import classifier, grouped_folds
    from training.train import load_config

    config = load_config(ROOT / "training" / "config.toml")
    lines = (ROOT / "data" / "samples" / "threads.jsonl").read_text(encoding="utf-8")
    threads = [json.loads(line) for line in lines.splitlines()[:THREADS]]
    ex = build_examples(threads, LanguageDetector(seed=0), load_pipelines())
    models = []
    for section, labels, names in ((config["act"], ex.act, ACTS),
                                   (config["promotion"], ex.promotion, PROMOTION)):
        y = np.array([names.index(label) for label in labels])
        splits = grouped_folds(list(labels), ex.thread, 3, 0)
        with threadpool_limits(limits=1):  # as training does: many BLAS threads cost here
            models.append(calibrated(classifier(section, 0), splits).fit(ex.rows, y))
    return models[0], models[1], ex.rows


@cache
def plain_model() -> dict:
    """The engine's model dict for ``fitted()``'s classifiers."""
    from service.scoring.health import HealthParams
    from service.vocab import ACTS, PROMOTION
    from training.export import export_classifier

    act, promotion, _ = fitted()
    return {"act": export_classifier(act, ACTS),
            "promotion": export_classifier(promotion, PROMOTION),
            "promotion_threshold": 0.5, "health": HealthParams(),
            "act_prior": np.array([0.8, 1.0, 1.0])}


def write_bundle(path: Path, version: str | None = None) -> Path:
    """A bundle of ``plain_model()`` at ``path`` (model_version: its name by default)."""
    from service.scoring.bundles import save_bundle

    save_bundle(Path(path), plain_model(), {"model_version": version or Path(path).name})
    return Path(path)
