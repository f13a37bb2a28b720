"""Research commands of ``thread-health``: ``data``, ``train``, ``evaluate`` (``models`` is in
``training.models_cli``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_support import (
    DEFAULT_DATA,
    engines_or_fail,
    live_changes_or_fail,
    live_summary,
    read_or_fail,
    split_or_fail,
)

DEFAULT_CONFIG = Path(__file__).resolve().parent / "config.toml"


@click.group()
def data() -> None:
    """The labelled corpus."""


def print_counts(counts: dict) -> None:
    """The data card's counts table, as a terminal table."""
    from rich.console import Console
    from rich.table import Table

    console = Console(width=110)
    table = Table(title="corpus counts", show_lines=False)
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in counts.items():
        if key == "languages":
            continue
        table.add_row(key, json.dumps(value, ensure_ascii=False) if isinstance(value, dict)
                      else str(value))
    console.print(table)
    per_lang = Table(title="per language")
    per_lang.add_column("figure")
    for lang in counts["languages"]:
        per_lang.add_column(lang, justify="right")
    keys = next(iter(counts["languages"].values())).keys()
    for key in keys:
        per_lang.add_row(key, *(str(v[key]) for v in counts["languages"].values()))
    console.print(per_lang)


@data.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def check(paths: tuple[Path, ...], as_json: bool) -> None:
    """Validate corpus JSON Lines and flat CSV files, or folders of them (default:
    data/samples), exactly as train reads them, and print the counts table."""
    # Loaded when the command runs (scikit-learn, spaCy, matplotlib), so `thread-health --help`
    # stays quick.
    from .inputs import check_data

    report = check_data(list(paths) or [DEFAULT_DATA])
    if not report.ok:
        for error in report.errors:
            click.echo(error, err=True)
        click.echo(f"{len(report.errors)} error(s)", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(report.counts, indent=2, ensure_ascii=False))
    else:
        print_counts(report.counts)
        click.echo("corpus OK")


@data.command("split")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
                default=DEFAULT_DATA)
@click.option("--fraction", default=0.2, show_default=True, type=click.FloatRange(0.05, 0.5))
@click.option("--seed", default=0, show_default=True)
@click.option("--force", is_flag=True, help="Replace an existing split (changes the test set!).")
def split(folder: Path, fraction: float, seed: int, force: bool) -> None:
    """Write the fixed test split (test_threads.txt) of a corpus folder."""
    # Loaded when the command runs (scikit-learn, spaCy, matplotlib), so `thread-health --help`
    # stays quick.
    from .corpus import SPLIT_FILE, check_corpus, corpus_files, load_threads
    from .split import choose_test_threads

    target = folder / SPLIT_FILE
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists; the test split is fixed (use --force "
                                   "only if you mean to change the test set)")
    report = check_corpus([folder])
    if not report.ok:
        raise click.ClickException("corpus does not check; run `thread-health data check`")
    errors: list[str] = []
    threads = []
    for t in load_threads(corpus_files([folder]), errors):
        t.data["_file"] = t.path.name
        threads.append(t.data)
    ids = choose_test_threads(threads, fraction, seed)
    header = (f"# Fixed test split: {len(ids)} of {len(threads)} threads, stratified by file, "
              f"language and health band (seed {seed}). Never train on these.\n")
    target.write_text(header + "\n".join(ids) + "\n", encoding="utf-8")
    click.echo(f"wrote {target}: {len(ids)} test threads")


DATA_HELP = ("Corpus JSON Lines or flat CSV files, or folders of them (default data/samples); "
             "repeat --data for several.")


@click.command()
@click.option("--data", "data_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help=DATA_HELP)
@click.option("--config", "config_path", default=DEFAULT_CONFIG, show_default=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Bundle directory to write, e.g. models/NAME.")
@click.option("--include-test", is_flag=True,
              help="Also train on the fixed test split (then no figure is held out).")
@click.option("--no-report", is_flag=True, help="Skip report.md and its plots.")
@click.option("--baseline", "baseline_path", type=click.Path(exists=True, file_okay=False,
                                                             path_type=Path),
              help="Bundle the report compares with on the fixed test split (default: the "
                   "promoted bundle of the folder --out is in, else of the models folder).")
@click.option("--no-baseline", is_flag=True, help="No comparison in the report.")
def train(data_paths: tuple[Path, ...], config_path: Path, out: Path, include_test: bool,
          no_report: bool, baseline_path: Path | None, no_baseline: bool) -> None:
    """Train both classifiers and the health weights; write a model bundle and its report
    (beside the production model on the fixed test split). Progress goes to stderr: bars
    on a terminal, a line every few seconds otherwise."""
    # Loaded when the command runs (scikit-learn, spaCy, matplotlib), so `thread-health --help`
    # stays quick.
    from .progress import progress_bars
    from .train import train as run_train

    read_or_fail(data_paths)  # validate everything before any work
    paths = list(data_paths) or [DEFAULT_DATA]
    baseline = None if no_baseline or no_report else baseline_path or _production(out)
    if baseline is not None:
        click.echo(f"the report compares with {baseline} on the fixed test split", err=True)
    try:
        with progress_bars() as track:
            metadata = run_train(paths, config_path, out, include_test=include_test,
                                 track=track, report=not no_report, baseline=baseline)
    except ValueError as exc:  # a config value that cannot be used
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps({"model_version": metadata["model_version"], "bundle": str(out),
                           "promotion_threshold": metadata["promotion_threshold"],
                           "threshold_selection": metadata["threshold_selection"],
                           "cv": metadata["metrics"]["cv"]}, indent=2))


def _production(out: Path) -> Path | None:
    """The promoted bundle of the folder a new bundle goes into, else of the models folder."""
    # Loaded when the command runs (scikit-learn, spaCy, matplotlib), so `thread-health --help`
    # stays quick.
    from service.config import load_config
    from service.scoring.bundles import current_name

    for folder in (out.resolve().parent, load_config()["MODELS_DIR"]):
        name = current_name(folder)
        if name and (folder / name).is_dir() and (folder / name).resolve() != out.resolve():
            return folder / name
    return None


@click.command()
@click.option("--model", "model_path", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--data", "data_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help=DATA_HELP)
@click.option("--baseline", "baseline_path", type=click.Path(exists=True, file_okay=False,
                                                             path_type=Path),
              help="Another bundle, measured on the same threads and resamples.")
@click.option("--split", type=click.Choice(["test", "train", "all"]), default="test",
              show_default=True, help="Which threads of the data to measure on.")
@click.option("--resamples", default=1000, show_default=True, type=click.IntRange(100, 100_000),
              help="Bootstrap resamples (threads drawn with replacement).")
@click.option("--seed", default=0, show_default=True, help="Seed of the bootstrap.")
@click.option("--youtube", "youtube_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="YouTube Spam Collection folder (default ../shared/eval/…).")
@click.option("--no-youtube", is_flag=True, help="Skip the YouTube Spam Collection.")
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON.")
@click.option("--record", is_flag=True, help="Write the metrics into the bundle's metadata.json.")
@click.option("--record-as", "record_as", default=None, metavar="NAME",
              help="With --record: keep the metrics under metrics.NAME (e.g. dev), so the "
                   "figures of several data sets live side by side.")
@click.option("--live", is_flag=True,
              help="Instead: what the model would change on the stored threads (levels, "
                   "flags, labels) against what is stored now; reads the database only.")
@click.option("--platform", default=None, help="With --live: only this platform's threads.")
@click.option("--limit", default=None, type=click.IntRange(1), metavar="N",
              help="With --live: only the N most recently updated threads.")
@click.option("--examples", default=5, show_default=True, type=click.IntRange(0, 100),
              help="With --live: threads to show that change most.")
def evaluate(model_path: Path, data_paths: tuple[Path, ...], baseline_path: Path | None,
             split: str, resamples: int, seed: int, youtube_dir: Path | None, no_youtube: bool,
             as_json: bool, record: bool, record_as: str | None, live: bool,
             platform: str | None, limit: int | None, examples: int) -> None:
    """Measure a bundle per language and class, with bootstrap 95% intervals; optionally
    side by side with a baseline bundle and the paired differences. With --live, what it
    would change on the stored threads instead."""
    # Loaded when the command runs (scikit-learn, spaCy, matplotlib), so `thread-health --help`
    # stays quick.
    from .bootstrap import bootstrap
    from .compare import measure, print_comparison, youtube_line
    from .evaluate import YOUTUBE_DIR, corpus_metrics, youtube_metrics
    from .progress import progress_bars

    if live:
        changes = live_changes_or_fail(model_path, platform, limit, examples)
        click.echo(json.dumps(changes, indent=2, ensure_ascii=False) if as_json
                   else "\n".join(live_summary(changes)))
        return
    threads = split_or_fail(data_paths, split)
    engine, base_engine = engines_or_fail(model_path, baseline_path)
    with progress_bars() as track:
        analyses, preds = measure(engine, threads, track)
        base_preds = measure(base_engine, threads, track)[1] if base_engine else None
    result = bootstrap(preds, base_preds, resamples=resamples, seed=seed)
    metrics = {"split": split, "corpus": corpus_metrics(threads, analyses), "intervals": result}
    if not no_youtube:
        metrics["youtube_spam"] = youtube_metrics(engine, youtube_dir or YOUTUBE_DIR)
        if metrics["youtube_spam"] is None:
            click.echo("youtube-spam evaluation skipped: folder not found", err=True)
    if as_json:
        click.echo(json.dumps(metrics, indent=2, ensure_ascii=False))
    else:
        print_comparison(result, engine.model_version,
                         base_engine.model_version if base_engine else None)
        if metrics.get("youtube_spam"):
            click.echo(youtube_line(metrics["youtube_spam"]))
    if record:
        _record(model_path, {record_as: metrics} if record_as else metrics)


def _record(model_path: Path, metrics: dict) -> None:
    """Merge measured metrics into the bundle's metadata (the model file is untouched)."""
    meta_path = model_path / "metadata.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["metrics"] = {**meta.get("metrics", {}), **metrics}
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                         encoding="utf-8")


def register(group: click.Group) -> None:
    """Add the research commands to the ``thread-health`` group."""
    # Loaded when the command runs (scikit-learn, spaCy, matplotlib), so `thread-health --help`
    # stays quick.
    from .models_cli import models

    for command in (data, train, evaluate, models):
        group.add_command(command)
