"""The ``thread-health`` command."""

from __future__ import annotations

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="thread-health")
def main() -> None:
    """thread-health: listening, contribution and self-promotion in discussion threads."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="gunicorn worker processes; each loads the model once.")
def serve(host: str, port: int, workers: int) -> None:
    """Run the HTTP service under gunicorn."""
    from . import create_app
    from .config import load_config
    from .serve import run

    config = load_config()
    url = f"http://{host}:{port}"
    click.echo(f"thread-health {__version__} serving on {url}  (health check: {url}/healthz)")
    click.echo(f"Database: {_redact(config['DATABASE_URL'])}; data directory: {config['DATA_DIR']}")
    for hint in _first_steps():
        click.echo(hint)
    run(host, port, workers, create_app)


@main.command()
@click.argument("input_file", metavar="INPUT.jsonl", type=click.File("r", encoding="utf-8"))
@click.option("--output", "-o", "output_file", required=True,
              type=click.File("w", encoding="utf-8"),
              help="Where to write one analysis per line ('-' for stdout).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes; each loads the model once.")
def analyze(input_file, output_file, workers: int) -> None:
    """Analyse threads, one JSON object per line; '-' reads stdin.

    A bad line is reported on stderr with its number and skipped; the exit status is 1
    when any line failed, 0 otherwise.
    """
    import sys

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .batch import run_batch
    from .config import load_config
    from .model_store import BundleError

    config = load_config()
    failed = done = 0
    show = sys.stderr.isatty()
    columns = (SpinnerColumn(), TextColumn("{task.completed} threads"), TimeElapsedColumn())
    try:
        with Progress(*columns, disable=not show, transient=True) as progress:
            task = progress.add_task("analyze")
            for result in run_batch(input_file, workers=workers,
                                    model_path=config.get("MODEL_PATH"),
                                    models_dir=config["MODELS_DIR"]):
                if result.error:
                    failed += 1
                    click.echo(f"line {result.lineno}: {result.error}", err=True)
                else:
                    output_file.write(result.output + "\n")
                    done += 1
                progress.update(task, completed=done + failed)
    except BundleError as exc:
        raise click.ClickException(str(exc)) from exc
    output_file.flush()
    click.echo(f"{done} threads analysed, {failed} lines failed", err=True)
    if failed:
        sys.exit(1)


def _redact(url: str) -> str:
    """Hide a password in a database URL before printing it."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _first_steps() -> list[str]:
    """Hints for the commands that exist in this build (no promises of missing ones)."""
    hints = []
    if "keys" in main.commands:
        hints.append("First API key:  .venv/bin/thread-health keys create --platform NAME")
    if "moderators" in main.commands:
        hints.append(
            "Moderator:      .venv/bin/thread-health moderators create --username U --admin")
    return hints


def _register_research_commands() -> None:
    """The research commands live in ``training``; the CLI is where both meet."""
    from training.cli import register

    register(main)


_register_research_commands()
