"""Measure bundles on the same threads and print the comparison with its intervals."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from service.model_store import load_bundle
from service.scoring.engine import Engine

from .bootstrap import METRICS
from .evaluate import analyse_corpus
from .fit import Track, no_track
from .plots import LANG_NAMES
from .predictions import ThreadPrediction, from_analyses
from .report import interval


def load_engines(model: Path, baseline: Path | None) -> tuple[Engine, Engine | None]:
    """Both engines, sharing one set of NLP pipelines (BundleError when one is refused)."""
    engine = Engine.load(model)
    if baseline is None:
        return engine, None
    return engine, Engine(load_bundle(baseline), engine.pipelines, engine.detector)


def measure(engine: Engine, threads: list[dict], track: Track = no_track
            ) -> tuple[list[dict], list[ThreadPrediction]]:
    """The engine's analyses of ``threads`` and the per-thread records of them."""
    analyses = analyse_corpus(engine, track(threads, f"analysing with {engine.model_version}"))
    return analyses, from_analyses(threads, analyses)


def signed(entry: dict | None) -> str:
    """A difference with its sign; ``*`` when its interval leaves out zero."""
    if not entry or entry["value"] is None:
        return "–"
    text = f"{entry['value']:+.3f}"
    if entry["low"] is None:
        return text
    text += f" [{entry['low']:+.3f}, {entry['high']:+.3f}]"
    return text + (" *" if entry["low"] > 0 or entry["high"] < 0 else "")


def print_comparison(result: dict, model_name: str, baseline_name: str | None,
                     console: Console | None = None) -> None:
    """One table per language: the model, the baseline and their paired difference."""
    console = console or Console(width=120)
    for lang, block in result.items():
        table = Table(title=f"{LANG_NAMES[lang]}: {block['threads']} threads, "
                            f"{block['comments']} comments", title_justify="left")
        table.add_column("metric")
        table.add_column(model_name)
        if baseline_name:
            table.add_column(baseline_name)
            table.add_column("difference")
        for name in (m for m in METRICS if m in block["metrics"]):
            entry = block["metrics"][name]
            cells = [interval(entry["model"])]
            if baseline_name:
                cells += [interval(entry.get("baseline")), signed(entry.get("difference"))]
            table.add_row(name, *cells)
        console.print(table)
    console.print("95% cluster-bootstrap intervals over threads; * the paired difference's "
                  "interval leaves out 0." if baseline_name else
                  "95% cluster-bootstrap intervals over threads.")


def youtube_line(real: dict) -> str:
    """One line of the YouTube Spam Collection figures (real comments, never trained on)."""
    return (f"YouTube Spam Collection ({real['comments']} real comments): P(self_promotion) "
            f"ROC AUC {real['roc_auc']:.3f}; at threshold {real['threshold']}: "
            f"F1 {real['f1']:.3f}, precision {real['precision']:.3f}, "
            f"recall {real['recall']:.3f}, genuine comments flagged "
            f"{real.get('genuine_flagged', float('nan')):.3f}; sections flagged "
            f"{real['sections_flagged']}/{len(real['sections'])}")
