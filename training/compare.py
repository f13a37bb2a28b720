"""Measure bundles on the same threads and print the comparison with its intervals."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from service.nlp.language import LanguageDetector
from service.scoring.bundles import current_name, load_bundle, read_history
from service.scoring.engine import Engine

from .bootstrap import METRICS
from .evaluate import analyse_corpus
from .fit import Track, no_track
from .predictions import ThreadPrediction, from_analyses, group_name
from .report import Comparison
from .report_text import interval, signed

__all__ = ["compare_on", "load_engines", "measure", "print_comparison", "production_of",
           "signed", "youtube_line"]


def load_engines(model: Path, baseline: Path | None) -> tuple[Engine, Engine | None]:
    """Both engines, sharing one set of NLP pipelines (BundleError when one is refused)."""
    engine = Engine.load(model)
    if baseline is None:
        return engine, None
    return engine, Engine(load_bundle(baseline), engine.pipelines, engine.detector)


def production_of(models_dir: Path, name: str) -> Path | None:
    """The bundle to compare bundle ``name`` with: the promoted one, or, when ``name`` is
    the promoted one, the bundle its last promotion replaced; None when there is neither."""
    current = current_name(models_dir)
    if current and current != name and (Path(models_dir) / current).is_dir():
        return Path(models_dir) / current
    replaced = [e["from"] for e in read_history(models_dir)
                if e["action"] == "promote" and e["to"] == name and e["from"]]
    if replaced and (Path(models_dir) / replaced[-1]).is_dir():
        return Path(models_dir) / replaced[-1]
    return None


def compare_on(model: Path, baseline: Path, threads: list[dict], source: str,
               track: Track = no_track, pipelines: dict | None = None) -> Comparison:
    """Both bundles' predictions on the same threads, through the engine."""
    if pipelines is None:
        engine, base = load_engines(model, baseline)
    else:
        detector = LanguageDetector(seed=0)
        engine = Engine(load_bundle(model), pipelines, detector)
        base = Engine(load_bundle(baseline), pipelines, detector)
    return Comparison(baseline=Path(baseline).name, baseline_version=base.model_version,
                      source=source, model=measure(engine, threads, track)[1],
                      base=measure(base, threads, track)[1])


def measure(engine: Engine, threads: list[dict], track: Track = no_track
            ) -> tuple[list[dict], list[ThreadPrediction]]:
    """The engine's analyses of ``threads`` and the per-thread records of them."""
    analyses = analyse_corpus(engine, track(threads, f"analysing with {engine.model_version}"))
    return analyses, from_analyses(threads, analyses)


def print_comparison(result: dict, model_name: str, baseline_name: str | None,
                     console: Console | None = None) -> None:
    """One table per language: the model, the baseline and their paired difference."""
    console = console or Console(width=120)
    for lang, block in result.items():
        table = Table(title=f"{group_name(lang)}: {block['threads']} threads, "
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
    console.print("95% cluster-bootstrap intervals over threads; a paired difference whose "
                  "interval includes 0 is not shown to be one." if baseline_name else
                  "95% cluster-bootstrap intervals over threads.")


def youtube_line(real: dict) -> str:
    """One line of the YouTube Spam Collection figures (real comments, never trained on)."""
    return (f"YouTube Spam Collection ({real['comments']} real comments): P(self_promotion) "
            f"ROC AUC {real['roc_auc']:.3f}; at threshold {real['threshold']}: "
            f"F1 {real['f1']:.3f}, precision {real['precision']:.3f}, "
            f"recall {real['recall']:.3f}, genuine comments flagged "
            f"{real.get('genuine_flagged', float('nan')):.3f}; sections flagged "
            f"{real['sections_flagged']}/{len(real['sections'])}")
