"""Research commands of ``thread-health``: ``data check``, ``train``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data" / "samples"
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
    """Validate corpus files (default: data/samples) and print the counts table."""
    from .corpus import check_corpus

    report = check_corpus(list(paths) or [DEFAULT_DATA])
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


@click.command()
@click.option("--data", "data_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Corpus files or folders (default data/samples); the test split is left out.")
@click.option("--config", "config_path", default=DEFAULT_CONFIG, show_default=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Bundle directory to write, e.g. models/NAME.")
def train(data_paths: tuple[Path, ...], config_path: Path, out: Path) -> None:
    """Train both classifiers and the health weights; write a model bundle."""
    from rich.progress import Progress

    from .corpus import read_corpus
    from .train import train as run_train

    paths = list(data_paths) or [DEFAULT_DATA]
    try:
        n_train = sum(t["_split"] == "train" for t in read_corpus(paths))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    with Progress(disable=not sys.stderr.isatty(), transient=True) as progress:
        task = progress.add_task("preparing threads", total=n_train)
        metadata = run_train(paths, config_path, out,
                             progress=lambda: progress.advance(task))
    click.echo(json.dumps({"model_version": metadata["model_version"], "bundle": str(out),
                           "cv": metadata["cv"]}, indent=2))


@click.command()
@click.option("--model", "model_path", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--data", "data_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Corpus files or folders (default data/samples).")
@click.option("--split", type=click.Choice(["test", "train", "all"]), default="test",
              show_default=True, help="Which threads of the corpus to measure on.")
@click.option("--youtube", "youtube_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="YouTube Spam Collection folder (default ../shared/eval/…).")
@click.option("--record", is_flag=True, help="Write the metrics into the bundle's metadata.json.")
def evaluate(model_path: Path, data_paths: tuple[Path, ...], split: str, youtube_dir: Path | None,
             record: bool) -> None:
    """Measure a bundle on the corpus test split and on real comments."""
    from service.model_store import BundleError
    from service.scoring.engine import Engine

    from .corpus import read_corpus
    from .evaluate import YOUTUBE_DIR, analyse_corpus, corpus_metrics, youtube_metrics

    try:
        engine = Engine.load(model_path)
        threads = [t for t in read_corpus(list(data_paths) or [DEFAULT_DATA])
                   if split == "all" or t["_split"] == split]
    except (BundleError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    metrics = {"split": split, "corpus": corpus_metrics(threads, analyse_corpus(engine, threads))}
    real = youtube_metrics(engine, youtube_dir or YOUTUBE_DIR)
    if real is None:
        click.echo("youtube-spam evaluation skipped: folder not found", err=True)
    metrics["youtube_spam"] = real
    click.echo(json.dumps(metrics, indent=2, ensure_ascii=False))
    if record:
        meta_path = model_path / "metadata.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["metrics"] = metrics
        meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True)
                             + "\n", encoding="utf-8")


def register(group: click.Group) -> None:
    """Add the research commands to the ``thread-health`` group."""
    for command in (data, train, evaluate):
        group.add_command(command)
