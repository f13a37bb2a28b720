"""A bundle's ``report.md`` and plots, written by code from its metadata and predictions.

``train`` writes it from the cross-validated predictions of the training split;
``thread-health models report NAME`` rewrites it from the engine's analyses of the fixed
test split (or another split). Never edit a report by hand: rerun the command.
"""

from __future__ import annotations

from pathlib import Path

from .bootstrap import METRICS, RESAMPLES, bootstrap
from .plots import LANG_NAMES, confusions, health_by_rating, reliability
from .predictions import ThreadPrediction

SOURCES = {
    "cv": "cross-validated predictions on the training split (each thread predicted by a "
          "fold model that never saw it); the fixed test split was not used",
    "test": "the fixed test split (threads never trained on), each analysed by the engine "
            "exactly as a request would be, without language hints",
    "train": "the training split, analysed by the engine (figures flatter the model)",
    "all": "every thread of the data, analysed by the engine (includes training threads)",
}


def interval(entry: dict | None) -> str:
    """``0.893 [0.861, 0.921]``, or ``–`` when there is no figure."""
    if not entry or entry["value"] is None:
        return "–"
    if entry["low"] is None:
        return f"{entry['value']:.3f}"
    return f"{entry['value']:.3f} [{entry['low']:.3f}, {entry['high']:.3f}]"


def metrics_table(result: dict, which: str = "model") -> list[str]:
    """A Markdown table: one row per metric, one column per language."""
    langs = list(result)
    lines = ["| metric | " + " | ".join(f"{LANG_NAMES[lg]} ({result[lg]['threads']} threads, "
                                         f"{result[lg]['comments']} comments)"
                                         for lg in langs) + " |",
             "|---|" + "---|" * len(langs)]
    for name in METRICS:
        if any(name in result[lg]["metrics"] for lg in langs):
            lines.append(f"| {name} | " + " | ".join(
                interval(result[lg]["metrics"].get(name, {}).get(which)) for lg in langs) + " |")
    return lines


def file_rows(meta: dict) -> list[tuple[str, str]]:
    """The report rows naming the model files by their SHA-256."""
    rows = [(f"{name} SHA-256", f"`{digest}`")
            for name, digest in sorted(meta.get("model_files", {}).items())]
    converted = meta.get("converted_from")
    if converted:
        rows.append(("converted from", f"`{converted['file']}` (SHA-256 "
                                       f"`{converted['sha256']}`) on {converted['at']}"))
    return rows


def _summary(meta: dict) -> list[str]:
    selection = meta.get("threshold_selection", {})
    how = selection.get("how", "fixed (recorded before threshold selection existed)")
    threshold = meta.get("promotion_threshold", meta["config"]["promotion"].get("threshold"))
    training = meta.get("training", {})
    rows = [("model version", f"`{meta['model_version']}`"), ("created", meta["created_at"]),
            ("git commit", f"`{meta.get('git_commit')}`"), ("seed", meta.get("seed")),
            ("trained on", f"{training.get('threads', '?')} threads, "
                           f"{training.get('comments', '?')} comments"),
            ("promotion threshold", f"{threshold} — {how}"),
            ("libraries", ", ".join(f"{k} {v}" for k, v in sorted(meta["libraries"].items()))),
            *file_rows(meta)]
    out = ["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows), "", "Data files:", ""]
    out += [f"- `{path}` — SHA-256 `{digest}`" for path, digest in sorted(meta["data"].items())]
    return out


def write_report(folder: Path, meta: dict, preds: list[ThreadPrediction], source: str,
                 seed: int = 0, resamples: int = RESAMPLES) -> Path:
    """Write ``report.md`` and its PNGs into the bundle ``folder``; returns the report path."""
    folder = Path(folder)
    result = bootstrap(preds, resamples=resamples, seed=seed)
    images = confusions(preds, folder)
    calibration = reliability(preds, folder / "reliability.png")
    health = health_by_rating(preds, meta.get("health_params", {}), folder /
                              "health_by_rating.png")
    lines = [f"# Model report: {meta['model_version']}", "",
             "Written by `thread-health train` or `thread-health models report`; do not edit "
             "by hand.", "", *_summary(meta), "",
             "## Metrics", "",
             f"Measured on {SOURCES[source]}. Intervals: 95% cluster bootstrap over threads "
             f"({resamples} resamples, seed {seed}).", "", *metrics_table(result), ""]
    cv = meta.get("metrics", {}).get("cv") or meta.get("cv")
    if source != "cv" and cv:
        lines += ["Cross-validation on the training split (point figures from the metadata): "
                  + "; ".join(f"{LANG_NAMES[lg]} act macro-F1 {v['act_macro_f1']:.3f}, "
                              f"promotion F1 {v['promotion_f1']:.3f}" for lg, v in cv.items()),
                  ""]
    lines += ["## Confusion matrices", "", "Colour: share of the labelled row (recall).", ""]
    lines += [f"![{caption}]({name})" for caption, name in images]
    lines += ["", "## Reliability of the probabilities", "",
              "Ten bins of predicted probability against the observed share; the dashed line "
              "is perfect calibration.", "", f"![reliability]({calibration})", ""]
    if health:
        lines += ["## Health score by human rating", "",
                  "Box: quartiles of the score for the threads of each rating; lines: the "
                  "level thresholds.", "", f"![health score by rating]({health})", ""]
    path = folder / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
