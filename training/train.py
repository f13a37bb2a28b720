"""``thread-health train``: data -> model bundle, deterministic for a given data, config, seed.

Steps: read and check the data; leave the fixed test split out (unless asked); prepare
every comment as the service does; fit each classifier with folds grouped by thread and
stratified by label x language; fit the act model's second stage on the first stage's
out-of-fold scores in their threads (when the config has ``[act.context]``); choose the
promotion threshold on the out-of-fold predictions; fit the health weights; save the
bundle and its cross-validation report.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from service.config import PROJECT_ROOT
from service.nlp.language import LanguageDetector
from service.nlp.pipelines import load_pipelines
from service.scoring.bundles import save_bundle, sha256_of
from service.scoring.engine import reweigh
from service.vocab import ACTS, LANGUAGES, PROMOTION

from .augment import counterfactual_threads, original_id
from .bootstrap import metrics_of
from .context_fit import fit_context
from .examples import build_examples
from .export import export_classifier
from .fit import Track, fit_axis, grouped_folds, no_track, step
from .health_fit import fit_from_out_of_fold
from .inputs import data_files, read_data
from .predictions import ThreadPrediction, by_language, thread_fields
from .threshold import choose_threshold


def load_config(path: Path) -> dict:
    """The training config (TOML)."""
    with Path(path).open("rb") as fh:
        return tomllib.load(fh)


def _shown(path: Path) -> str:
    """A data file's path relative to the project when inside it (bundles move)."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def data_fingerprint(files: list[Path]) -> dict[str, str]:
    """SHA-256 of every data file used."""
    return {_shown(f): sha256_of(f) for f in files}


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"],  # noqa: S607
                             capture_output=True, text=True, check=True,
                             cwd=Path(__file__).parent)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def cv_predictions(threads: list[dict], act_oof: np.ndarray, promo_oof: np.ndarray,
                   threshold: float, healths: list) -> list[ThreadPrediction]:
    """Out-of-fold predictions as per-thread records (for metrics and the report)."""
    out, start = [], 0
    for thread, health in zip(threads, healths, strict=True):
        gold = thread["comments"]
        part = slice(start, start + len(gold))
        out.append(ThreadPrediction(
            id=thread["id"], language=thread["language"],
            act_gold=np.array([ACTS.index(c["labels"]["act"]) for c in gold], dtype=int),
            act_proba=act_oof[part],
            promo_gold=np.array([c["labels"]["promotion"] == "self_promotion" for c in gold]),
            promo_score=promo_oof[part], promo_pred=promo_oof[part] >= threshold,
            rating=thread["labels"].get("health"), score=health.score, **thread_fields(thread),
            flags_pred=tuple(health.flags), level_pred=health.level))
        start += len(gold)
    return out


def cv_metrics(preds: list[ThreadPrediction]) -> dict:
    """Cross-validated point figures per language (intervals are in the report)."""
    out = {}
    for lang, mine in by_language(preds).items():
        m = metrics_of(np.sum([p.counts() for p in mine], axis=0))
        out[lang] = {"act_macro_f1": round(float(m["act_macro_f1"]), 4),
                     "promotion_f1": round(float(m["promotion_f1"]), 4),
                     "comments": int(sum(len(p.act_gold) for p in mine)),
                     "threads": len(mine)}
    return out


def train(data: list[Path], config_path: Path, out: Path, *, include_test: bool = False,
          track: Track = no_track, pipelines: dict | None = None, report: bool = True,
          baseline: Path | None = None) -> dict:
    """Train both classifiers and the health weights; save a bundle; return its metadata.

    With ``report``, the report holds the cross-validated figures and, given a
    ``baseline`` bundle (the production model), both models side by side on the fixed
    test split (unless it was trained on).

    BLAS runs on one thread: the solver's small dense steps gain nothing from more, lose
    up to 30x when cores are shared, and one thread keeps floating-point sums in one order.
    """
    with threadpool_limits(limits=1):
        return _train(data, config_path, out, include_test=include_test, track=track,
                      pipelines=pipelines, report=report, baseline=baseline)


def _train(data: list[Path], config_path: Path, out: Path, *, include_test: bool,
           track: Track, pipelines: dict | None, report: bool, baseline: Path | None) -> dict:
    config = load_config(config_path)
    seed, folds = int(config["seed"]), int(config["folds"])
    every = read_data(data)
    threads = [t for t in every if include_test or t["_split"] == "train"]
    pipelines = pipelines or load_pipelines()
    # Counterfactual copies (training/augment.py) are trained on, grouped with their
    # original thread; every figure, the threshold and the health fit use the originals.
    share = float(config.get("augment", {}).get("share", 0.0))
    copies = counterfactual_threads(threads, seed, share) if share > 0 else []
    ex = build_examples(track(threads + copies, "preparing comments"),
                        LanguageDetector(seed=seed), pipelines)
    originals = sum(len(t["comments"]) for t in threads)
    groups = [original_id(t) for t in ex.thread]
    y_act = np.array([ACTS.index(a) for a in ex.act])
    y_promo = np.array([PROMOTION.index(p) for p in ex.promotion])
    langs = [r.language if r.language in LANGUAGES else "en" for r in ex.detected]
    act_splits = grouped_folds([f"{a}/{lg}" for a, lg in zip(ex.act, langs, strict=True)],
                               groups, folds, seed)
    promo_splits = grouped_folds([f"{p}/{lg}" for p, lg in zip(ex.promotion, langs, strict=True)],
                                 groups, folds, seed)
    act_model, act_oof = fit_axis(ex.rows, y_act, act_splits, config["act"], seed, track, "act")
    act_context = None
    if config["act"].get("context"):
        with step(track, "act context"):
            act_context, act_oof = fit_context(
                threads + copies, [r.numeric for r in ex.rows], y_act, act_oof, act_splits,
                config["act"]["context"], tuple(config["act"].get("drop_cues", ())), seed)
    promo_model, promo_oof = fit_axis(ex.rows, y_promo, promo_splits, config["promotion"], seed,
                                      track, "promotion")
    prior = config["act"].get("prior_weights")
    act_prior = None if prior is None else np.asarray(prior, dtype=float)
    act_oof, promo_oof = reweigh(act_oof[:originals], act_prior), promo_oof[:originals, 1]
    y_promo = y_promo[:originals]
    rows = ex.rows[:originals]
    threshold, selection = choose_threshold(config["promotion"].get("threshold", "cv_f1"),
                                            y_promo, promo_oof,
                                            config["promotion"].get("max_genuine_flagged"))
    with step(track, "health weights"):
        health, healths = fit_from_out_of_fold(threads, rows, act_oof, promo_oof, threshold,
                                               ACTS)
    preds = cv_predictions(threads, act_oof, promo_oof, threshold, healths)
    fingerprint = data_fingerprint(data_files(data))
    digest = hashlib.sha256(json.dumps([sorted(fingerprint.values()), config, include_test],
                                       sort_keys=True).encode()).hexdigest()[:7]
    now = datetime.now(UTC)
    metadata = {
        "model_version": f"{now:%Y-%m-%d}-{digest}",
        "created_at": now.isoformat(timespec="seconds"),
        "labels": {"act": list(ACTS), "promotion": list(PROMOTION)},
        "languages": list(LANGUAGES),
        "data": fingerprint,
        "training": {"threads": len(threads), "comments": originals,
                     "counterfactual_comments": len(ex.rows) - originals,
                     "rated_threads": sum(t["labels"].get("health") is not None
                                          for t in threads),
                     "test_split_included": include_test},
        "config": config,
        "seed": seed,
        "git_commit": _git_commit(),
        "promotion_threshold": threshold,
        "threshold_selection": selection,
        "health_params": {"weights": health.weights, "penalty": health.penalty,
                          "healthy_at": health.healthy_at, "at_risk_at": health.at_risk_at},
        "metrics": {"cv": cv_metrics(preds)},
    }
    model = {"act": export_classifier(act_model, ACTS),
             "promotion": export_classifier(promo_model, PROMOTION),
             "promotion_threshold": threshold,
             "health": health, "act_prior": act_prior, "act_context": act_context}
    with step(track, "saving the bundle"):
        metadata = save_bundle(out, model, metadata)
    if report:
        # The comparison and the report (matplotlib): loaded only when a report is written.
        from .compare import compare_on
        from .report import write_report

        held_out = [t for t in every if t["_split"] == "test"]
        comparison = (compare_on(out, baseline, held_out, "test", track, pipelines)
                      if baseline is not None and held_out and not include_test else None)
        with step(track, "writing the report"):
            write_report(out, metadata, preds, "cv", seed=seed, comparison=comparison)
    return metadata
