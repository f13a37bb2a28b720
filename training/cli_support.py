"""What the research commands share (``cli.py`` and ``models_cli.py``): the default data,
and reading data, bundles and stored threads with a clear message when they are refused."""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data" / "samples"


def read_or_fail(data_paths: tuple[Path, ...]) -> list[dict]:
    """The threads of the data named (default data/samples); every bad line on stderr."""
    # Loaded when the command runs (scikit-learn, spaCy), so `thread-health --help` stays quick.
    from .inputs import DataError, read_data

    try:
        return read_data(list(data_paths) or [DEFAULT_DATA])
    except DataError as exc:
        for error in exc.errors:
            click.echo(error, err=True)
        raise click.ClickException(f"{len(exc.errors)} error(s) in the data; nothing "
                                   "was trained or measured") from exc


def split_or_fail(data_paths: tuple[Path, ...], split: str) -> list[dict]:
    """The threads of one split ("test" | "train" | "all") of the data named."""
    threads = [t for t in read_or_fail(data_paths) if split == "all" or t["_split"] == split]
    if not threads:
        raise click.ClickException(f"no {split} threads in the data (try --split all)")
    return threads


def engines_or_fail(model_path: Path, baseline_path: Path | None = None) -> tuple:
    """The engines of a bundle and of an optional baseline; a refused bundle says why."""
    # Loaded when the command runs (scikit-learn, spaCy), so `thread-health --help` stays quick.
    from service.scoring.bundles import BundleError

    from .compare import load_engines

    try:
        return load_engines(model_path, baseline_path)
    except BundleError as exc:
        raise click.ClickException(str(exc)) from exc


def live_changes_or_fail(model_path: Path, platform: str | None, limit: int | None,
                         examples: int = 5, engine=None) -> dict:
    """What the bundle would change on the stored threads of the configured database (the
    engine is loaded only when there are threads to analyse)."""
    # Loaded when the command runs (scikit-learn, spaCy), so `thread-health --help` stays quick.
    from sqlalchemy.exc import SQLAlchemyError

    from service.config import load_config

    from .live import count_threads, live_changes, reading
    from .progress import progress_bars

    try:
        with reading(load_config()["DATABASE_URL"]) as session:
            if session is None or not count_threads(session, platform):
                return live_changes(None, None, platform)
            engine = engine or engines_or_fail(model_path)[0]
            with progress_bars() as track:
                return live_changes(engine, session, platform, limit, examples, track)
    except SQLAlchemyError as exc:
        raise click.ClickException(f"cannot read the stored threads: {exc}") from exc


def live_summary(changes: dict) -> list[str]:
    # Loaded when the command runs (scikit-learn, spaCy), so `thread-health --help` stays quick.
    from .live import summary_lines

    return summary_lines(changes)
