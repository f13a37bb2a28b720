"""``thread-health moderators …`` and ``thread-health corrections export``."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from click.core import ParameterSource

from ..cli.common import database


def _password_option(ctx: click.Context, _param, value: str) -> str:
    """The password comes from THREAD_HEALTH_PASSWORD or the prompt, never the command
    line (where ``ps`` and shell history would keep it)."""
    if ctx.get_parameter_source("password") == ParameterSource.COMMANDLINE:
        raise click.BadParameter("set THREAD_HEALTH_PASSWORD or answer the prompt instead",
                                 param_hint="--password")
    return value


@click.group()
def moderators() -> None:
    """Moderator accounts of the web UI (/moderation/)."""


@moderators.command("create")
@click.option("--username", required=True, help="Sign-in name (1..100 characters).")
@click.option("--platform", "platforms", multiple=True,
              help="A platform the moderator sees (repeat for several).")
@click.option("--admin", is_flag=True, help="Sees every platform.")
@click.option("--password", envvar="THREAD_HEALTH_PASSWORD", hidden=True, prompt=True,
              hide_input=True, confirmation_prompt=True, callback=_password_option)
def moderators_create(username: str, platforms: tuple[str, ...], admin: bool,
                      password: str) -> None:
    """Create a moderator; the password is read from THREAD_HEALTH_PASSWORD or prompted
    for (hidden, asked twice) and only its argon2id hash is stored."""
    # Loaded when the command runs, so `thread-health --help` and the other commands stay quick.
    from ..store.moderators import AccountError, create_moderator
    from .accounts import hash_password, password_problem

    username = username.strip()
    if not username or len(username) > 100:
        raise click.BadParameter("must be 1..100 characters", param_hint="--username")
    problem = password_problem(password, username)
    if problem:
        raise click.BadParameter(problem, param_hint="password")
    try:
        with database() as session:
            create_moderator(session, username, hash_password(password),
                             sorted({p.strip() for p in platforms}), admin)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    scope = "every platform" if admin else ", ".join(sorted(platforms))
    click.echo(f"moderator {username!r} created ({scope}); sign in at /moderation/")


@moderators.command("list")
def moderators_list() -> None:
    """Accounts with their role and platforms (never their passwords)."""
    # Loaded when the command runs, so `thread-health --help` and the other commands stay quick.
    from ..store.moderators import list_moderators

    with database() as session:
        rows = list_moderators(session)
    for row in rows:
        scope = "admin (every platform)" if row.admin else ", ".join(row.platforms)
        click.echo(f"{row.username}  {scope}  {row.created_at}")
    if not rows:
        click.echo("no moderators", err=True)


@click.group()
def corrections() -> None:
    """Label corrections made by moderators."""


@corrections.command("export")
@click.option("--output", "-o", "output", default="-", type=click.File("w", encoding="utf-8"),
              help="JSON Lines file to write ('-', the default, is stdout).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              help="Only corrections made on or after this date (UTC).")
@click.option("--platform", default=None, help="Only this platform's corrections.")
def corrections_export(output, since: datetime | None, platform: str | None) -> None:
    """Write corrections as corpus threads (data/samples shape) for a researcher to review
    before `thread-health train --data`; docs/moderation.md describes the choices."""
    # Loaded when the command runs, so `thread-health --help` and the other commands stay quick.
    from ..store.moderation import corrections as load
    from .corrections import corpus_threads, write_jsonl

    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    with database() as session:
        rows = load(session, since, platform)
        count = write_jsonl(corpus_threads(rows, datetime.now(UTC)), output)
    output.flush()
    click.echo(f"{count} threads, {len(rows)} corrections exported", err=True)


def register(main: click.Group) -> None:
    """Add the moderation commands to ``thread-health``."""
    main.add_command(moderators)
    main.add_command(corrections)
