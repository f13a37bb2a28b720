"""``thread-health train``: corpus -> model bundle, deterministic for a given seed."""

from __future__ import annotations

import hashlib
import json
import subprocess
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedGroupKFold

from service.model_store import save_bundle, sha256_of
from service.nlp.language import LanguageDetector
from service.nlp.pipelines import load_pipelines
from service.scoring.classifier import ACTS, PROMOTION, build_classifier, calibrated

from .corpus import read_corpus
from .examples import build_examples
from .health_fit import fit_health, thread_components, views_for


def load_config(path: Path) -> dict:
    """The training config (TOML)."""
    with Path(path).open("rb") as fh:
        return tomllib.load(fh)


def grouped_folds(strata: list[str], groups: list[str], k: int, seed: int) -> list:
    """Folds grouped by thread, stratified by label x language."""
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(strata)), strata, groups))


def _classifier(section: dict, seed: int):
    return build_classifier(c=section["c"], word_ngrams=section["word_ngrams"],
                            char_ngrams=tuple(section["char_ngrams"]),
                            class_weight=section.get("class_weight"), seed=seed)


def out_of_fold(rows, y, splits, section: dict, seed: int, n_classes: int) -> np.ndarray:
    """Out-of-fold probabilities (each comment predicted by a model that never saw its thread)."""
    proba = np.zeros((len(rows), n_classes))
    base = _classifier(section, seed)
    for train_idx, test_idx in splits:
        model = clone(base).fit([rows[i] for i in train_idx], y[train_idx])
        proba[test_idx] = model.predict_proba([rows[i] for i in test_idx])
    return proba


def data_fingerprint(files: list[Path]) -> dict[str, str]:
    """SHA-256 of every data file used."""
    return {str(f): sha256_of(f) for f in files}


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"],  # noqa: S607
                             capture_output=True, text=True, check=True,
                             cwd=Path(__file__).parent)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def train(data: list[Path], config_path: Path, out: Path, progress=None) -> dict:
    """Train both classifiers and the health weights on the training split; save a bundle."""
    config = load_config(config_path)
    seed = int(config["seed"])
    threads = [t for t in read_corpus(data) if t["_split"] == "train"]
    detector, pipelines = LanguageDetector(seed=seed), load_pipelines()
    ex = build_examples(threads, detector, pipelines, progress=progress)
    y_act = np.array([ACTS.index(a) for a in ex.act])
    y_promo = np.array([PROMOTION.index(p) for p in ex.promotion])
    langs = [r.language if r.language in ("fr", "en") else "en" for r in ex.detected]
    act_splits = grouped_folds([f"{a}/{lg}" for a, lg in zip(ex.act, langs, strict=True)],
                               ex.thread, config["folds"], seed)
    promo_splits = grouped_folds([f"{p}/{lg}" for p, lg in zip(ex.promotion, langs, strict=True)],
                                 ex.thread, config["folds"], seed)
    act_model = calibrated(_classifier(config["act"], seed), act_splits).fit(ex.rows, y_act)
    promo_model = calibrated(_classifier(config["promotion"], seed),
                             promo_splits).fit(ex.rows, y_promo)
    act_oof = out_of_fold(ex.rows, y_act, act_splits, config["act"], seed, len(ACTS))
    promo_oof = out_of_fold(ex.rows, y_promo, promo_splits, config["promotion"], seed, 2)[:, 1]
    threshold = float(config["promotion"]["threshold"])
    component_rows, ratings, start = [], [], 0
    for thread in threads:
        n = len(thread["comments"])
        rows = ex.rows[start:start + n]
        views = views_for(thread, act_oof[start:start + n], promo_oof[start:start + n],
                          threshold, [bool(r.numeric.get("question")) for r in rows],
                          [bool(r.numeric.get("disagreement")) for r in rows], ACTS)
        component_rows.append(thread_components(views))
        ratings.append(thread["labels"]["health"])
        start += n
    health = fit_health(component_rows, ratings)
    files = sorted({Path(p) for p in data for p in
                    (sorted(Path(p).glob("*.jsonl")) if Path(p).is_dir() else [Path(p)])})
    fingerprint = data_fingerprint(files)
    digest = hashlib.sha256(json.dumps([fingerprint, config], sort_keys=True,
                                       default=str).encode()).hexdigest()[:7]
    now = datetime.now(UTC)
    metadata = {
        "model_version": f"{now:%Y-%m-%d}-{digest}",
        "created_at": now.isoformat(timespec="seconds"),
        "labels": {"act": list(ACTS), "promotion": list(PROMOTION)},
        "languages": ["fr", "en"],
        "data": fingerprint,
        "training": {"threads": len(threads), "comments": len(ex.rows)},
        "config": config,
        "seed": seed,
        "git_commit": _git_commit(),
        "health_params": {"weights": health.weights, "penalty": health.penalty,
                          "healthy_at": health.healthy_at, "at_risk_at": health.at_risk_at},
        "cv": cv_metrics(ex, y_act, y_promo, act_oof, promo_oof, threshold),
    }
    model = {"act": act_model, "promotion": promo_model, "promotion_threshold": threshold,
             "health": health}
    return save_bundle(out, model, metadata)


def cv_metrics(ex, y_act, y_promo, act_oof, promo_oof, threshold) -> dict:
    """Cross-validated (grouped by thread) metrics on the training split, per language."""
    from sklearn.metrics import f1_score

    out = {}
    gold = np.array(ex.gold_language)
    for lang in ("fr", "en"):
        m = gold == lang
        out[lang] = {
            "act_macro_f1": round(float(f1_score(y_act[m], act_oof[m].argmax(1),
                                                 average="macro")), 4),
            "promotion_f1": round(float(f1_score(y_promo[m],
                                                 (promo_oof[m] >= threshold).astype(int))), 4),
            "comments": int(m.sum()),
        }
    return out
