"""Commands of the operators: the database schema, API keys, Coral secrets and thresholds."""

from __future__ import annotations

import os
from datetime import timedelta

import click

from ..config import load_config
from ..store import make_engine, schema_status, upgrade
from ..store.coral import create_secret, rotate_secret, set_secret, set_threshold
from ..store.keys import create_key, list_keys, revoke_key
from .common import database, grace_option, platform_name, redact


@click.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply the migrations the database is missing (safe to repeat)."""
    config = load_config()
    engine = make_engine(config["DATABASE_URL"])
    upgrade(engine)
    current, _ = schema_status(engine)
    click.echo(f"{redact(config['DATABASE_URL'])}: schema at {current}")


@click.group()
def keys() -> None:
    """API keys of the platforms."""


@keys.command("create")
@click.option("--platform", required=True, help="Platform name (created if new).")
def keys_create(platform: str) -> None:
    """Create a key; it is printed once, alone on the last line, and only its hash is kept."""
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
    with database() as session:
        done = revoke_key(session, prefix)
    if not done:
        raise click.ClickException(f"no active key with prefix {prefix!r}")
    click.echo(f"revoked {prefix}")


@click.group()
def coral() -> None:
    """Coral Talk external moderation phases (docs/coral.md)."""


@coral.group("secret")
def coral_secret() -> None:
    """The signing secret of a platform's Coral phase."""


def _show_secret(platform: str, secret: str | None, refused: str) -> None:
    """The new secret, alone on the last line; ClickException saying ``refused`` when the
    store made none."""
    if secret is None:
        raise click.ClickException(f"platform {platform!r} {refused}")
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
    name = platform_name(platform)
    with database() as session:
        secret = create_secret(session, name, threshold)
    _show_secret(name, secret, "already has a Coral secret; use `coral secret rotate`")


@coral_secret.command("rotate")
@click.option("--platform", required=True, help="Platform name.")
@grace_option("Seconds the previous secret stays valid.")
def coral_secret_rotate(platform: str, grace: int) -> None:
    """Replace the secret (printed once); the old one stays valid for --grace seconds."""
    name = platform_name(platform)
    with database() as session:
        secret = rotate_secret(session, name, timedelta(seconds=grace))
    _show_secret(name, secret, "has no Coral secret; use `coral secret create`")


@coral_secret.command("set")
@click.option("--platform", required=True, help="Platform name (created if new).")
@grace_option("Seconds a replaced secret stays valid.")
def coral_secret_set(platform: str, grace: int) -> None:
    """Store the secret Coral generated for the phase, read from the
    THREAD_HEALTH_CORAL_SECRET variable or prompted for (never a command-line argument)."""
    name = platform_name(platform)
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
    name = platform_name(platform)
    with database() as session:
        done = set_threshold(session, name, threshold)
    if not done:
        raise click.ClickException(f"platform {name!r} has no Coral phase")
    click.echo(f"{name}: threshold {'default' if threshold is None else threshold}")




def register(group: click.Group) -> None:
    """Add the ``db``, ``keys`` and ``coral`` groups to ``group``."""
    for command in (db, keys, coral):
        group.add_command(command)
