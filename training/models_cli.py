"""``thread-health models list | show | promote | rollback | report | convert``: the bundles
in models/.

Promotion and rollback read and check the whole bundle before rewriting ``models/current``;
running services follow within a second, without a restart, unless ``THREAD_HEALTH_MODEL``
pins them to one bundle. ``convert`` rewrites a trusted bundle of the old pickled format.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from service.model_store import (
    BundleError,
    current_name,
    list_bundles,
    previous_name,
    promote,
    read_metadata,
    rollback,
    verify,
)

FOLLOW_NOTE = ("running services switch at their next request (within a second); a process "
               "started with THREAD_HEALTH_MODEL set keeps its pinned bundle")


def _models_dir(value: Path | None) -> Path:
    if value is not None:
        return value
    from service.config import load_config

    return load_config()["MODELS_DIR"]


def _name(models_dir: Path, name: str) -> str:
    """A bundle's directory name; ``models/NAME`` is accepted for ``NAME``."""
    path = Path(name)
    if len(path.parts) > 1 and path.parent.resolve() != models_dir.resolve():
        raise click.ClickException(f"{name}: not a bundle of {models_dir} (promote bundles "
                                   "that live there)")
    return path.name


def _status(path: Path) -> str:
    try:
        verify(path)
    except BundleError as exc:
        return f"refused: {exc}"
    return "ok"


def _headline(meta: dict) -> str:
    """Act macro-F1 and promotion F1 per language, held-out figures first."""
    metrics = meta.get("metrics", {})
    corpus = metrics.get("corpus") or metrics.get("cv") or meta.get("cv") or {}
    where = "test" if metrics.get("corpus") else "cv"
    return ", ".join(f"{lg} {v['act_macro_f1']:.3f}/{v['promotion_f1']:.3f}"
                     for lg, v in corpus.items() if lg in ("fr", "en")) + f" ({where})"


models_dir_option = click.option("--models-dir", type=click.Path(file_okay=False, path_type=Path),
                                 default=None, help="Default: THREAD_HEALTH_MODELS_DIR or models/.")


@click.group()
def models() -> None:
    """Model bundles: list, show, promote, roll back, report, convert."""


@models.command("list")
@models_dir_option
def list_command(models_dir: Path | None) -> None:
    """Every bundle: version, creation, act/promotion F1, checks; * marks the promoted one."""
    models_dir = _models_dir(models_dir)
    current = current_name(models_dir)
    for path in list_bundles(models_dir):
        meta = read_metadata(path)
        mark = "*" if path.name == current else " "
        click.echo(f"{mark} {path.name:<28} {meta.get('created_at', '?'):<26} "
                   f"act/promo F1 {_headline(meta)}  [{_status(path)}]")


@models.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the whole metadata.")
@models_dir_option
def show(name: str, as_json: bool, models_dir: Path | None) -> None:
    """A bundle's metadata in short (or whole, with --json)."""
    models_dir = _models_dir(models_dir)
    path = models_dir / _name(models_dir, name)
    try:
        meta = read_metadata(path)
    except BundleError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(meta, indent=2, ensure_ascii=False))
        return
    selection = meta.get("threshold_selection", {})
    threshold = meta.get("promotion_threshold", meta["config"]["promotion"].get("threshold"))
    report = path / "report.md"
    for key, value in (
            ("bundle", path), ("model_version", meta["model_version"]),
            ("created_at", meta["created_at"]), ("git_commit", meta.get("git_commit")),
            ("promoted", "yes" if current_name(models_dir) == path.name else "no"),
            ("checks", _status(path)), ("seed", meta.get("seed")),
            ("training", json.dumps(meta.get("training", {}))),
            ("promotion_threshold", f"{threshold} ({selection.get('method', 'fixed')})"),
            ("act/promotion F1", _headline(meta)),
            ("libraries", ", ".join(f"{k} {v}" for k, v in meta.get("libraries", {}).items())),
            ("report", report if report.exists() else "none (thread-health models report)")):
        click.echo(f"{key:<20} {value}")


@models.command("promote")
@click.argument("name")
@models_dir_option
def promote_command(name: str, models_dir: Path | None) -> None:
    """Serve bundle NAME: verified first, then models/current is switched atomically."""
    models_dir = _models_dir(models_dir)
    try:
        entry = promote(models_dir, _name(models_dir, name))
    except BundleError as exc:
        raise click.ClickException(f"not promoted: {exc}") from exc
    click.echo(f"promoted {entry['to']} (model {entry['model_version']}), was {entry['from']}; "
               f"{FOLLOW_NOTE}")


@models.command("rollback")
@models_dir_option
def rollback_command(models_dir: Path | None) -> None:
    """Serve again the bundle promoted before the current one."""
    models_dir = _models_dir(models_dir)
    try:
        entry = rollback(models_dir)
    except BundleError as exc:
        raise click.ClickException(f"not rolled back: {exc}") from exc
    after = previous_name(models_dir)
    click.echo(f"rolled back to {entry['to']} (model {entry['model_version']}), was "
               f"{entry['from']}; {FOLLOW_NOTE}" + (f"; next rollback: {after}" if after else ""))


@models.command("report")
@click.argument("name")
@click.option("--data", "data_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Corpus or CSV files or folders (default data/samples).")
@click.option("--split", type=click.Choice(["test", "train", "all"]), default="test",
              show_default=True)
@click.option("--seed", default=0, show_default=True, help="Seed of the bootstrap.")
@models_dir_option
def report_command(name: str, data_paths: tuple[Path, ...], split: str, seed: int,
                   models_dir: Path | None) -> None:
    """(Re)write NAME's report.md and plots from the engine's analyses of a data split."""
    from .cli import engines_or_fail, split_or_fail
    from .compare import measure
    from .progress import progress_bars
    from .report import write_report

    models_dir = _models_dir(models_dir)
    path = models_dir / _name(models_dir, name)
    threads = split_or_fail(data_paths, split)
    engine, _ = engines_or_fail(path)
    with progress_bars() as track:
        preds = measure(engine, threads, track)[1]
    written = write_report(path, engine.bundle.metadata, preds, split, seed=seed)
    click.echo(f"wrote {written} and {len(list(path.glob('*.png')))} plots "
               f"({len(threads)} {split} threads)")


@models.command("convert")
@click.argument("name")
@click.option("--trusted", is_flag=True,
              help="Required: converting unpickles NAME's model.joblib once, which runs any "
                   "code it holds; only for a bundle you trained or got from this project.")
@click.option("--data", "data_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Comments the converted model must score exactly as the pickled one "
                   "(default data/samples).")
@models_dir_option
def convert_command(name: str, trusted: bool, data_paths: tuple[Path, ...],
                    models_dir: Path | None) -> None:
    """Rewrite the pickled bundle NAME (model.joblib) as model.json + model.npz."""
    from .cli import DEFAULT_DATA
    from .convert import convert

    if not trusted:
        raise click.ClickException("not converted: converting unpickles model.joblib, which "
                                   "can run code; pass --trusted for a bundle you trust, or "
                                   "retrain it with thread-health train")
    models_dir = _models_dir(models_dir)
    path = models_dir / _name(models_dir, name)
    try:
        meta = convert(path, list(data_paths) or [DEFAULT_DATA])
    except BundleError as exc:
        raise click.ClickException(f"not converted: {exc}") from exc
    checked = meta["converted_from"]["checked_comments"]
    click.echo(f"converted {path.name}: model.json + model.npz, the same probabilities on "
               f"{checked} comments; model.joblib removed")
