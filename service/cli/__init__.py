"""The ``thread-health`` command: the group, ``serve`` and ``analyze``; the database, key and
Coral commands are in ``admin.py``, the others come from the entry points below."""

from __future__ import annotations

from importlib.metadata import entry_points

import click

from ..version import __version__

# Other packages add their commands through this entry-point group (pyproject.toml): each
# names a ``register(group)`` function, so the CLI imports none of them and no import
# circle forms (training depends on service, never the reverse; the moderation UI's
# commands live with the UI).
COMMANDS_GROUP = "thread_health.commands"


class CommandGroup(click.Group):
    """The group. ``serve`` and ``analyze`` are defined in this module; the others (admin,
    webhooks, jobs and the entry points') are registered the first time one of them, or
    the list of all, is asked for. Registering them imports Flask, SQLAlchemy, alembic and
    the training package, which ``analyze`` does not use: they were 37 MB of the resident
    set of a process that holds the model through a whole batch."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._registered = False

    def register_all(self) -> None:
        if not self._registered:
            self._registered = True
            _register_commands(self)

    def get_command(self, ctx, cmd_name):
        if cmd_name not in self.commands:
            self.register_all()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx):
        self.register_all()
        return super().list_commands(ctx)


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    # Loaded when the command runs, so `thread-health --help` and the other commands stay quick.
    from .. import create_app
    from ..config import load_config
    from ..store import make_engine, upgrade
    from .common import redact
    from .server import metrics_dir, run

    config = load_config()
    metrics_dir(config["DATA_DIR"])
    engine = make_engine(config["DATABASE_URL"])
    upgrade(engine)
    engine.dispose()
    url = f"http://{host}:{port}"
    click.echo(f"thread-health {__version__} serving on {url}  (health check: {url}/healthz)")
    click.echo(f"Database: {redact(config['DATABASE_URL'])}; data directory: {config['DATA_DIR']}")
    for hint in _first_steps():
        click.echo(hint)
    run(host, port, workers, create_app)


@main.command()
@click.argument("input_file", metavar="INPUT.jsonl", type=click.File("r", encoding="utf-8"))
@click.option("--output", "-o", "output_file", required=True,
              type=click.File("w", encoding="utf-8"),
              help="Where to write one analysis per line ('-' for stdout).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes, forked after the model is loaded once.")
def analyze(input_file, output_file, workers: int) -> None:
    """Analyse threads, one JSON object per line; '-' reads stdin.

    A bad line is reported on stderr with its number and skipped; the exit status is 1
    when any line failed, 0 otherwise.
    """
    # Loaded when the command runs, so `thread-health --help` and the other commands stay quick.
    import sys

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ..config import load_config
    from ..scoring.bundles import BundleError
    from ..services.batch_analysis import BatchRunner

    config = load_config()
    failed = done = 0
    show = sys.stderr.isatty()
    columns = (SpinnerColumn(), TextColumn("{task.completed} threads"), TimeElapsedColumn())
    try:
        runner = BatchRunner(workers=workers, model_path=config.get("MODEL_PATH"),
                             models_dir=config["MODELS_DIR"])
    except BundleError as exc:
        raise click.ClickException(str(exc)) from exc
    # The workers are forked before the progress bar starts its refresh thread.
    with runner, Progress(*columns, disable=not show, transient=True) as progress:
        task = progress.add_task("analyze")
        for result in runner.run(input_file):
            if result.error:
                failed += 1
                click.echo(f"line {result.lineno}: {result.error}", err=True)
            else:
                output_file.write(result.output + "\n")
                done += 1
            progress.update(task, completed=done + failed)
    output_file.flush()
    click.echo(f"{done} threads analysed, {failed} lines failed", err=True)
    if failed:
        sys.exit(1)


def _first_steps() -> list[str]:
    """Hints for the commands that exist in this build (no promises of missing ones)."""
    hints = []
    main.register_all()
    if "keys" in main.commands:
        hints.append("First API key:  .venv/bin/thread-health keys create --platform NAME")
    if "moderators" in main.commands:
        hints.append(
            "Moderator:      .venv/bin/thread-health moderators create --username U --admin")
    return hints


def _register_commands(group: click.Group) -> None:
    """The service's own commands, then every installed package's (sorted by entry-point
    name)."""
    # Imported when registering, not with this module: they import Flask, SQLAlchemy and
    # alembic, which `analyze` does not need (CommandGroup).
    from . import admin, jobs, webhooks

    admin.register(group)
    webhooks.register(group)
    jobs.register(group)
    for entry in sorted(entry_points(group=COMMANDS_GROUP), key=lambda e: e.name):
        entry.load()(group)
