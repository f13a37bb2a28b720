"""``thread-health models list | show | promote | rollback | report | convert``: the bundles
in models/.

Promotion and rollback read and check the whole bundle before rewriting ``models/current``;
running services follow within a second, without a restart, unless ``THREAD_HEALTH_MODEL``
pins them to one bundle. ``convert`` rewrites a trusted bundle of the old pickled format.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from service.scoring.bundles import (
    BundleError,
    bundle_in,
    current_name,
    list_bundles,
    load_bundle,
    previous_name,
    promote,
    read_metadata,
    rollback,
    verify,
)
from service.vocab import LANGUAGES

THRESHOLD_SHIFT = 0.03  # warn when the promotion threshold moves more than this
SHARE_SHIFT = 0.02  # warn when a class's share of stored comments moves more than this
FOLLOW_NOTE = ("running services switch at their next request (within a second); a process "
               "started with THREAD_HEALTH_MODEL set keeps its pinned bundle")


def _models_dir(value: Path | None) -> Path:
    if value is not None:
        return value
    # Loaded when the command runs (scikit-learn, spaCy, matplotlib), so `thread-health --help`
    # stays quick.
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


def _figures(block: dict | None) -> str:
    """``fr 0.893/0.908 en 0.880/0.935``: act macro-F1 / promotion F1 per language."""
    if not block:
        return "–"
    return " ".join(f"{lg} {v['act_macro_f1']:.3f}/{v['promotion_f1']:.3f}"
                    for lg, v in block.items() if lg in LANGUAGES) or "–"


def _columns(meta: dict) -> dict[str, str]:
    """Act/promotion F1 by where it was measured: cross-validation, the held-out test split
    (``evaluate --record``), the dev set (``--record-as dev``)."""
    metrics = meta.get("metrics", {})
    test = metrics.get("corpus") if metrics.get("split", "test") == "test" else None
    dev = metrics.get("dev", {}).get("corpus")
    return {"cv": _figures(metrics.get("cv") or meta.get("cv")), "test": _figures(test),
            "dev": _figures(dev)}


models_dir_option = click.option("--models-dir", type=click.Path(file_okay=False, path_type=Path),
                                 default=None, help="Default: THREAD_HEALTH_MODELS_DIR or models/.")


@click.group()
def models() -> None:
    """Model bundles: list, show, promote, roll back, report, convert."""


@models.command("list")
@models_dir_option
def list_command(models_dir: Path | None) -> None:
    """Every bundle: creation, act macro-F1 / promotion F1 per language from
    cross-validation, the test split and the dev set (each its own column; – when not
    measured), checks; * marks the promoted one."""
    models_dir = _models_dir(models_dir)
    current = current_name(models_dir)
    row = "{} {:<24} {:<25} {:<30} {:<30} {:<30} {}"
    click.echo(row.format(" ", "bundle", "created", "cv act/promo F1",
                          "test act/promo F1", "dev act/promo F1", "checks"))
    for path in list_bundles(models_dir):
        meta = read_metadata(path)
        columns = _columns(meta)
        click.echo(row.format("*" if path.name == current else " ", path.name,
                              meta.get("created_at", "?"), columns["cv"], columns["test"],
                              columns["dev"], f"[{_status(path)}]"))


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
            *((f"act/promo F1 {where}", figures) for where, figures in _columns(meta).items()),
            ("libraries", ", ".join(f"{k} {v}" for k, v in meta.get("libraries", {}).items())),
            ("report", report if report.exists() else "none (thread-health models report)")):
        click.echo(f"{key:<20} {value}")


def _threshold(meta: dict) -> float | None:
    value = meta.get("promotion_threshold", meta.get("config", {}).get("promotion", {})
                     .get("threshold"))
    return value if isinstance(value, int | float) else None


def threshold_warning(candidate: dict, current: dict | None, limit: float) -> str | None:
    """A warning when the promotion threshold moves more than ``limit`` from the promoted
    bundle's: every comment scored between the two thresholds changes label."""
    new, old = _threshold(candidate), _threshold(current or {})
    if new is None or old is None or round(abs(new - old), 9) <= limit:
        return None
    return (f"the promotion threshold moves from {old} to {new} ({new - old:+.4f}, more than "
            f"{limit}): every comment with P(self_promotion) between the two changes label, "
            "and the health of its thread with it")


def _interactive() -> bool:
    return sys.stdin.isatty()


@models.command("promote")
@click.argument("name")
@click.option("--yes", is_flag=True,
              help="Promote without asking (for scripts); the summary is still printed.")
@click.option("--platform", default=None, help="Summarise only this platform's threads.")
@click.option("--live-limit", default=1000, show_default=True, type=click.IntRange(0),
              help="Stored threads the summary analyses, most recently updated first "
                   "(0: no summary).")
@click.option("--max-threshold-shift", default=THRESHOLD_SHIFT, show_default=True,
              type=click.FloatRange(0, 1), help="Warn above this move of the threshold.")
@click.option("--max-share-shift", default=SHARE_SHIFT, show_default=True,
              type=click.FloatRange(0, 1),
              help="Warn above this move of a class's share of stored comments.")
@models_dir_option
def promote_command(name: str, yes: bool, platform: str | None, live_limit: int,
                    max_threshold_shift: float, max_share_shift: float,
                    models_dir: Path | None) -> None:
    """Serve bundle NAME: verified, its changes to the stored threads summarised and
    confirmed (on a terminal, or --yes), then models/current is switched atomically."""
    # Loaded when the command runs (scikit-learn, spaCy, matplotlib), so `thread-health --help`
    # stays quick.
    from .cli_support import live_changes_or_fail, live_summary
    from .live import share_shifts

    models_dir = _models_dir(models_dir)
    name = _name(models_dir, name)
    try:
        # read and checked whole, as a service would load it, before anything is summarised
        candidate = load_bundle(bundle_in(models_dir, name)).metadata
    except BundleError as exc:
        raise click.ClickException(f"not promoted: {exc}") from exc
    current = current_name(models_dir)
    try:
        current_meta = read_metadata(models_dir / current) if current else None
    except BundleError:
        current_meta = None
    warnings = [w for w in [threshold_warning(candidate, current_meta, max_threshold_shift)]
                if w]
    if live_limit:
        changes = live_changes_or_fail(models_dir / name, platform, live_limit)
        click.echo("\n".join(live_summary(changes)))
        shifted = share_shifts(changes, max_share_shift)
        if shifted:
            warnings.append(f"on the stored comments, a class's share moves more than "
                            f"{max_share_shift}: {'; '.join(shifted)}")
        if changes["threads_changing_level"]:
            warnings.append(f"{changes['threads_changing_level']} of {changes['threads']} "
                            "stored threads would change level when next analysed")
    for warning in warnings:
        click.echo(f"WARNING: {warning}")
    if not yes:
        if not _interactive():
            raise click.ClickException("not promoted: nobody to confirm on this input; read "
                                       "the summary above and run again with --yes")
        if not click.confirm(f"promote {name} (was {current})?", default=False):
            raise click.ClickException("not promoted: not confirmed")
    try:
        entry = promote(models_dir, name)
    except BundleError as exc:
        raise click.ClickException(f"not promoted: {exc}") from exc
    click.echo(f"promoted {entry['to']} (model {entry['model_version']}), was {entry['from']}; "
               f"{FOLLOW_NOTE}")
    _rescore(entry)


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
    _rescore(entry)


def _rescore(entry: dict) -> None:
    """Queue a re-score job per platform with stored threads, for the model now served
    (docs/jobs.md); a database that does not answer leaves a warning, not a failure."""
    from sqlalchemy.exc import SQLAlchemyError

    # the service's app and queue only when a promotion or rollback asks for a re-score
    from service.cli.jobs import cli_app, rescore_platforms
    from service.jobs import QueueUnavailable

    try:
        with cli_app() as app:
            queued = rescore_platforms(app, model_version=entry["model_version"])
    except (SQLAlchemyError, QueueUnavailable) as exc:
        click.echo(f"WARNING: no re-score job queued ({exc}); run `thread-health rescore`")
        return
    for name, job in queued:
        click.echo(f"re-score of platform {name}: {job['total']} stored threads, newest "
                   f"first, job {job['id']}")


@models.command("report")
@click.argument("name")
@click.option("--data", "data_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Corpus or CSV files or folders (default data/samples).")
@click.option("--split", type=click.Choice(["test", "train", "all"]), default="test",
              show_default=True)
@click.option("--seed", default=0, show_default=True, help="Seed of the bootstrap.")
@click.option("--resamples", default=1000, show_default=True, type=click.IntRange(100, 100_000),
              help="Bootstrap resamples (threads drawn with replacement).")
@click.option("--baseline", default=None, metavar="NAME",
              help="Bundle of the models folder to compare with (default: the promoted one, "
                   "or the one NAME replaced when NAME is promoted).")
@click.option("--no-baseline", is_flag=True, help="No comparison.")
@models_dir_option
def report_command(name: str, data_paths: tuple[Path, ...], split: str, seed: int,
                   resamples: int, baseline: str | None, no_baseline: bool,
                   models_dir: Path | None) -> None:
    """(Re)write NAME's report.md, report.json and plots from the engine's analyses of a
    data split, beside the production model's on the same threads."""
    # Loaded when the command runs (scikit-learn, spaCy, matplotlib), so `thread-health --help`
    # stays quick.
    from .cli_support import engines_or_fail, split_or_fail
    from .compare import measure, production_of
    from .progress import progress_bars
    from .report import Comparison, write_report

    models_dir = _models_dir(models_dir)
    path = models_dir / _name(models_dir, name)
    base_path = (None if no_baseline else models_dir / _name(models_dir, baseline) if baseline
                 else production_of(models_dir, path.name))
    threads = split_or_fail(data_paths, split)
    engine, base_engine = engines_or_fail(path, base_path)
    with progress_bars() as track:
        preds = measure(engine, threads, track)[1]
        comparison = None if base_engine is None else Comparison(
            base_path.name, base_engine.model_version, split, preds,
            measure(base_engine, threads, track)[1])
    written = write_report(path, engine.bundle.metadata, preds, split, seed=seed,
                           resamples=resamples, comparison=comparison,
                           with_text=not _blind(data_paths))
    click.echo(f"wrote {written}, report.json and {len(list(path.glob('*.png')))} plots "
               f"({len(threads)} {split} threads"
               + (f"; compared with {base_path.name})" if comparison else ")"))


def _blind(data_paths: tuple[Path, ...]) -> bool:
    """Whether the data includes the blind dev set, whose texts a report must not show."""
    # Loaded when the command runs (scikit-learn, spaCy, matplotlib), so `thread-health --help`
    # stays quick.
    from .cli_support import DEFAULT_DATA

    dev = (DEFAULT_DATA.parent / "dev").resolve()
    return any(p.resolve() == dev or dev in p.resolve().parents for p in data_paths)


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
    # Loaded when the command runs (scikit-learn, spaCy, matplotlib), so `thread-health --help`
    # stays quick.
    from .cli_support import DEFAULT_DATA
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
