"""The targets each benchmark part is held to, checked the same way everywhere."""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from service.vocab import LANGUAGES


@dataclass(frozen=True)
class Target:
    """A measured value against its limit: ``value op limit`` (op is ">=" or "<=")."""

    name: str
    value: float | None
    op: str
    limit: float
    unit: str = ""

    @property
    def passed(self) -> bool:
        if self.value is None or (isinstance(self.value, float) and math.isnan(self.value)):
            return False
        return self.value >= self.limit if self.op == ">=" else self.value <= self.limit

    def line(self) -> str:
        """``PASS  name: value unit (target >= limit unit)``."""
        unit = f" {self.unit}" if self.unit else ""
        return (f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {self.value}{unit} "
                f"(target {self.op} {self.limit}{unit})")

    def to_dict(self) -> dict:
        return {**asdict(self), "passed": self.passed}


def batch_targets(figures: dict) -> list[Target]:
    cli = figures["cli"]
    out = []
    if "2" in cli:
        out.append(Target("analyze --workers 2, start-up included", cli["2"]["comments_per_s"],
                          ">=", 1500, "comments/s"))
    if "1" in cli and "peak_rss_mb" in cli["1"]:
        out.append(Target("resident set of one process after the workload",
                          cli["1"]["peak_rss_mb"], "<=", 600, "MB"))
    out.append(Target("output identical for any --workers",
                      float(figures["same_output_any_workers"]), ">=", 1))
    return out


def scale_targets(figures: dict) -> list[Target]:
    out = [Target(f"one {figures['largest']:,}-comment thread", figures["largest_seconds"],
                  "<=", 5, "s")]
    if figures["per_comment_drift"] is not None:
        out.append(Target(f"time per comment at {figures['largest']:,} vs 1,000 (change)",
                          abs(figures["per_comment_drift"]), "<=", 0.25))
    return out


def cold_start_targets(figures: dict) -> list[Target]:
    return [Target(f"cold start to /readyz ({figures['workers']} workers)", figures["seconds"],
                   "<=", 15, "s")]


def http_targets(figures: dict) -> list[Target]:
    comment = {r["connections"]: r for r in figures["comment"]}
    thread = {r["connections"]: r for r in figures["thread"]}
    out = []
    if 4 in comment:
        out += [Target("analyze/comment at 4 connections", comment[4]["req_per_s"], ">=", 400,
                       "req/s"),
                Target("analyze/comment p50 at 4 connections", comment[4]["p50_ms"], "<=", 10,
                       "ms"),
                Target("analyze/comment p99 at 4 connections", comment[4]["p99_ms"], "<=", 30,
                       "ms")]
    if 1 in thread:
        out.append(Target(f"analyze/thread ({figures['thread_size']} comments) p50 at 1 "
                          "connection", thread[1]["p50_ms"], "<=", 60, "ms"))
    errors = sum(r["errors"] for r in figures["comment"] + figures["thread"])
    out.append(Target("HTTP errors", errors, "<=", 0))
    return out


def quality_targets(figures: dict) -> list[Target]:
    corpus = figures["corpus"]
    out = []
    for lang in LANGUAGES:
        if lang not in corpus:
            continue
        m = corpus[lang]
        out += [Target(f"act macro-F1 ({lang})", m["act_macro_f1"], ">=", 0.85),
                Target(f"promotion F1 ({lang})", m["promotion_f1"], ">=", 0.90),
                Target(f"Spearman health vs rating ({lang})", m.get("health_spearman"), ">=",
                       0.70)]
    overall = corpus["overall"]
    out += [Target("language accuracy", overall["language_accuracy"], ">=", 0.97),
            Target("language accuracy, 3 words or fewer", overall["language_accuracy_short"],
                   ">=", 0.93)]
    dev = figures.get("dev") or {}
    for lang in LANGUAGES:  # issue 16: other writers, other registers
        if lang in dev:
            m = dev[lang]
            out += [Target(f"dev act macro-F1 ({lang})", m["act_macro_f1"], ">=", 0.80),
                    Target(f"dev genuine comments flagged ({lang})",
                           m["promotion_genuine_flagged"], "<=", 0.05),
                    Target(f"dev self-promotion recall ({lang})", m["promotion_recall"], ">=",
                           0.85),
                    Target(f"dev threads rated 4-5 with no flag ({lang})",
                           m.get("good_threads_unflagged"), ">=", 0.90),
                    Target(f"dev Spearman health vs rating ({lang})", m.get("health_spearman"),
                           ">=", 0.70)]
    if dev.get("registers"):
        out.append(Target("dev lowest register act macro-F1",
                          min(r["act_macro_f1"] for r in dev["registers"].values()), ">=", 0.70))
    youtube = figures.get("youtube_spam")
    if youtube:
        out += [Target("YouTube spam ROC AUC", youtube["roc_auc"], ">=", 0.97),
                Target("YouTube genuine comments flagged", youtube["genuine_flagged"], "<=",
                       0.05),
                Target("YouTube spam recall", youtube["recall"], ">=", 0.85),
                Target("YouTube sections flagged self_promotion", youtube["sections_flagged"],
                       ">=", len(youtube["sections"]))]
    return out


def report(figures: dict, checks: list[Target]) -> int:
    """What a part run on its own prints: its figures as JSON, then each target's line; the
    exit status (1 when a target is missed)."""
    print(json.dumps(figures), flush=True)
    for target in checks:
        print(target.line(), flush=True)
    return 0 if all(t.passed for t in checks) else 1


def standalone(prog: str, doc: str, options: dict[str, int], run: Callable[..., dict],
               targets: Callable[[dict], list[Target]], argv: list[str] | None = None) -> int:
    """``python -m bench.<part>``: the integer ``options`` (flag: default) as arguments, the
    part run in a temporary folder with them, in order, then ``report``."""
    parser = argparse.ArgumentParser(prog=prog, description=doc.splitlines()[0])
    for flag, default in options.items():
        parser.add_argument(flag, type=int, default=default)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="thread-health-bench-") as folder:
        figures = run(Path(folder), *vars(args).values())
    return report(figures, targets(figures))
