"""A bundle's ``report.md``, ``report.json`` and plots, written by code from its predictions.

``train`` writes it from the cross-validated predictions of the training split (and, when a
model is in production, compares both on the fixed test split); ``thread-health models
report NAME`` rewrites it from the engine's analyses of the fixed test split (or another
split), beside the production model. Never edit a report by hand: rerun the command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .bootstrap import METRICS, RESAMPLES, bootstrap
from .calibration import calibration
from .curves import threshold_curves
from .errors import confident_errors
from .plots import confusions, health_by_rating, pr_curves, reliability
from .plots import threshold_curves as threshold_plot
from .predictions import ThreadPrediction, group_name
from .report_text import (
    calibration_lines,
    comparison_lines,
    curve_lines,
    error_lines,
    metrics_table,
    register_table,
    summary_lines,
)
from .small_sets import small_set_warnings

SOURCES = {
    "cv": "cross-validated predictions on the training split (each thread predicted by a "
          "fold model that never saw it); the fixed test split was not used",
    "test": "the fixed test split (threads never trained on), each analysed by the engine "
            "exactly as a request would be, without language hints",
    "train": "the training split, analysed by the engine (figures flatter the model)",
    "all": "every thread of the data, analysed by the engine (includes training threads)",
}


@dataclass
class Comparison:
    """The model and a baseline (the production model) measured on the same threads."""

    baseline: str  # the baseline bundle's name
    baseline_version: str
    source: str  # a key of SOURCES
    model: list[ThreadPrediction]
    base: list[ThreadPrediction]


def build_report(meta: dict, preds: list[ThreadPrediction], source: str, *, seed: int = 0,
                 resamples: int = RESAMPLES, comparison: Comparison | None = None,
                 with_text: bool = True) -> dict:
    """Every figure of the report (what ``report.json`` holds)."""
    threshold = meta.get("promotion_threshold", meta["config"]["promotion"].get("threshold"))
    out = {"model_version": meta["model_version"], "source": source, "seed": seed,
           "resamples": resamples, "promotion_threshold": threshold,
           "metrics": bootstrap(preds, resamples=resamples, seed=seed),
           "calibration": calibration(preds),
           "threshold_curves": threshold_curves(preds, threshold),
           "errors": confident_errors(preds, with_text=with_text)}
    if comparison is not None:
        out["comparison"] = {
            "baseline": comparison.baseline, "baseline_version": comparison.baseline_version,
            "source": comparison.source,
            "metrics": bootstrap(comparison.model, comparison.base, resamples=resamples,
                                 seed=seed)}
    out["warnings"] = small_set_warnings(preds, "the report's data")
    if comparison is not None and comparison.model is not preds:
        out["warnings"] += small_set_warnings(comparison.model, "the comparison")
    return out


def write_report(folder: Path, meta: dict, preds: list[ThreadPrediction], source: str,
                 seed: int = 0, resamples: int = RESAMPLES, comparison: Comparison | None = None,
                 with_text: bool = True) -> Path:
    """Write ``report.md``, ``report.json`` and the PNGs into the bundle ``folder``;
    returns the report's path. ``with_text=False`` lists errors by id only (blind data)."""
    folder = Path(folder)
    figures = build_report(meta, preds, source, seed=seed, resamples=resamples,
                           comparison=comparison, with_text=with_text)
    images = confusions(preds, folder)
    calibration_png = reliability(preds, folder / "reliability.png")
    pr_png = pr_curves(figures["threshold_curves"], folder / "pr_curve.png")
    cut_png = threshold_plot(figures["threshold_curves"], folder / "threshold_curve.png")
    health = health_by_rating(preds, meta.get("health_params", {}), folder /
                              "health_by_rating.png")
    metrics = figures["metrics"]
    languages = {k: v for k, v in metrics.items() if not k.startswith("register:")}
    lines = [f"# Model report: {meta['model_version']}", "",
             "Written by `thread-health train` or `thread-health models report`; do not edit "
             "by hand. Every figure is also in `report.json`.", "", *summary_lines(meta), ""]
    if figures["warnings"]:
        lines += ["## Warnings", "", *(f"- {w}" for w in figures["warnings"]), ""]
    if comparison is not None:
        lines += comparison_lines(figures["comparison"], meta["model_version"],
                                  SOURCES[comparison.source])
    lines += ["## Metrics", "",
              f"Measured on {SOURCES[source]}. Intervals: 95% cluster bootstrap over threads "
              f"({resamples} resamples, seed {seed}). Flags and health levels are measured on "
              "the threads that carry human thread labels (a level is right when it is the "
              "band of the rating: 4–5 healthy, 3 at risk, 1–2 unhealthy).", "",
              *metrics_table(languages, METRICS), ""]
    registers = {group_name(k): v for k, v in metrics.items() if k.startswith("register:")}
    if registers:
        lines += ["Per register (both languages):", "", *register_table(registers), ""]
    cv = meta.get("metrics", {}).get("cv") or meta.get("cv")
    if source != "cv" and cv:
        lines += ["Cross-validation on the training split (point figures from the metadata): "
                  + "; ".join(f"{group_name(lg)} act macro-F1 {v['act_macro_f1']:.3f}, "
                              f"promotion F1 {v['promotion_f1']:.3f}" for lg, v in cv.items()),
                  ""]
    lines += calibration_lines(figures["calibration"], calibration_png)
    lines += curve_lines(figures["threshold_curves"], figures["promotion_threshold"], pr_png,
                         cut_png)
    lines += error_lines(figures["errors"], with_text)
    lines += ["## Confusion matrices", "", "Colour: share of the labelled row (recall).", ""]
    lines += [f"![{caption}]({name})" for caption, name in images]
    if health:
        lines += ["", "## Health score by human rating", "",
                  "Box: quartiles of the score for the threads of each rating; lines: the "
                  "level thresholds.", "", f"![health score by rating]({health})"]
    (folder / "report.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False)
                                        + "\n", encoding="utf-8")
    path = folder / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
