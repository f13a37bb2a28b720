"""The ``thread-health`` command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from . import __version__
from .jobs.cli import register as register_job_commands
from .moderation.cli import register as register_moderation_commands
from .webhooks.cli import register as register_webhook_commands


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
    from .serve import metrics_dir, run
    from .store import make_engine, upgrade

    config = load_config()
    metrics_dir(config["DATA_DIR"])
    engine = make_engine(config["DATABASE_URL"])
    upgrade(engine)
    engine.dispose()
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
              help="Processes, forked after the model is loaded once.")
def analyze(input_file, output_file, workers: int) -> None:
    """Analyse threads, one JSON object per line; '-' reads stdin.

    A bad line is reported on stderr with its number and skipped; the exit status is 1
    when any line failed, 0 otherwise.
    """
    import sys

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .batch import BatchRunner
    from .config import load_config
    from .model_store import BundleError

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


@contextmanager
def database() -> Iterator:
    """A session on the configured database (migrated first), committed at the end."""
    from .config import load_config
    from .store import make_engine, session_factory, upgrade

    engine = make_engine(load_config()["DATABASE_URL"])
    try:
        upgrade(engine)
        with session_factory(engine).begin() as session:
            yield session
    finally:
        engine.dispose()


@main.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply the migrations the database is missing (safe to repeat)."""
    from .config import load_config
    from .store import make_engine, schema_status, upgrade

    config = load_config()
    engine = make_engine(config["DATABASE_URL"])
    upgrade(engine)
    current, _ = schema_status(engine)
    click.echo(f"{_redact(config['DATABASE_URL'])}: schema at {current}")


@main.group()
def keys() -> None:
    """API keys of the platforms."""


@keys.command("create")
@click.option("--platform", required=True, help="Platform name (created if new).")
def keys_create(platform: str) -> None:
    """Create a key; it is printed once, alone on the last line, and only its hash is kept."""
    from .store.keys import create_key

    if not platform.strip() or len(platform) > 100:
        raise click.BadParameter("must be 1..100 characters", param_hint="--platform")
    with database() as session:
        key = create_key(session, platform.strip())
    click.echo(f"API key for platform {platform.strip()!r} (shown once; store it now):", err=True)
    click.echo(key)


@keys.command("list")
@click.option("--platform", default=None, help="Only this platform's keys.")
def keys_list(platform: str | None) -> None:
    """Keys by prefix, platform, creation date and state (never the keys themselves)."""
    from .store.keys import list_keys

    with database() as session:
        rows = list_keys(session, platform)
    for row in rows:
        state = "revoked" if row.revoked else "active"
        click.echo(f"{row.prefix}  {row.platform}  {row.created_at}  {state}")
    if not rows:
        click.echo("no keys", err=True)


@keys.command("revoke")
@click.argument("prefix")
def keys_revoke(prefix: str) -> None:
    """Revoke the key whose prefix is PREFIX (the 8 characters after 'th_'); effective at once."""
    from .store.keys import revoke_key

    with database() as session:
        done = revoke_key(session, prefix)
    if not done:
        raise click.ClickException(f"no active key with prefix {prefix!r}")
    click.echo(f"revoked {prefix}")


@main.group()
def coral() -> None:
    """Coral Talk external moderation phases (docs/coral.md)."""


@coral.group("secret")
def coral_secret() -> None:
    """The signing secret of a platform's Coral phase."""


def _platform_name(platform: str) -> str:
    if not platform.strip() or len(platform) > 100:
        raise click.BadParameter("must be 1..100 characters", param_hint="--platform")
    return platform.strip()


def _show_secret(platform: str, secret: str) -> None:
    click.echo(f"Coral signing secret for platform {platform!r} (shown once; paste it in "
               f"Coral's phase settings): phase URL path /v1/integrations/coral/{platform}/phase",
               err=True)
    click.echo(secret)


@coral_secret.command("create")
@click.option("--platform", required=True, help="Platform name (created if new).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="FLAG at or above this P(self_promotion) (default: the model's threshold).")
def coral_secret_create(platform: str, threshold: float | None) -> None:
    """Create the platform's phase and its secret, printed once, alone on the last line."""
    from .store.coral import create_secret

    name = _platform_name(platform)
    with database() as session:
        secret = create_secret(session, name, threshold)
    if secret is None:
        raise click.ClickException(f"platform {name!r} already has a Coral secret; "
                                   "use `coral secret rotate`")
    _show_secret(name, secret)


@coral_secret.command("rotate")
@click.option("--platform", required=True, help="Platform name.")
@click.option("--grace", type=click.IntRange(0, 7 * 24 * 3600), default=3600,
              show_default=True, help="Seconds the previous secret stays valid.")
def coral_secret_rotate(platform: str, grace: int) -> None:
    """Replace the secret (printed once); the old one stays valid for --grace seconds."""
    from datetime import timedelta

    from .store.coral import rotate_secret

    name = _platform_name(platform)
    with database() as session:
        secret = rotate_secret(session, name, timedelta(seconds=grace))
    if secret is None:
        raise click.ClickException(f"platform {name!r} has no Coral secret; "
                                   "use `coral secret create`")
    _show_secret(name, secret)


@coral_secret.command("set")
@click.option("--platform", required=True, help="Platform name (created if new).")
@click.option("--grace", type=click.IntRange(0, 7 * 24 * 3600), default=3600,
              show_default=True, help="Seconds a replaced secret stays valid.")
def coral_secret_set(platform: str, grace: int) -> None:
    """Store the secret Coral generated for the phase, read from the
    THREAD_HEALTH_CORAL_SECRET variable or prompted for (never a command-line argument)."""
    import os
    from datetime import timedelta

    from .store.coral import set_secret

    name = _platform_name(platform)
    secret = os.environ.get("THREAD_HEALTH_CORAL_SECRET") or click.prompt(
        "Coral signing secret", hide_input=True)
    if not 16 <= len(secret.strip()) <= 128:
        raise click.BadParameter("must be 16..128 characters", param_hint="secret")
    with database() as session:
        set_secret(session, name, secret.strip(), timedelta(seconds=grace))
    click.echo(f"stored the Coral secret of platform {name!r}")


@coral.command("threshold")
@click.option("--platform", required=True, help="Platform name.")
@click.argument("value")
def coral_threshold(platform: str, value: str) -> None:
    """Set the FLAG threshold: a probability in [0, 1], or 'default' for the model's."""
    from .store.coral import set_threshold

    if value == "default":
        threshold = None
    else:
        try:
            threshold = float(value)
        except ValueError:
            threshold = -1.0
        if not 0 <= threshold <= 1:
            raise click.BadParameter("must be a number from 0 to 1 or 'default'",
                                     param_hint="VALUE")
    name = _platform_name(platform)
    with database() as session:
        done = set_threshold(session, name, threshold)
    if not done:
        raise click.ClickException(f"platform {name!r} has no Coral phase")
    click.echo(f"{name}: threshold {'default' if threshold is None else threshold}")


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
register_moderation_commands(main)
register_webhook_commands(main)
register_job_commands(main)


if __name__ == "__main__":  # python -m service.cli
    main(prog_name="thread-health")
