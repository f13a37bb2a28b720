"""Helpers shared by the command groups: a database session, a checked platform name, the
``--grace`` option of secret rotations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.engine import make_url

from ..config import load_config
from ..store import make_engine, session_factory, upgrade


@contextmanager
def database() -> Iterator:
    """A session on the configured database (migrated first), committed at the end."""
    engine = make_engine(load_config()["DATABASE_URL"])
    try:
        upgrade(engine)
        with session_factory(engine).begin() as session:
            yield session
    finally:
        engine.dispose()



def platform_name(platform: str) -> str:
    """A ``--platform`` value: 1..100 characters once trimmed (BadParameter else)."""
    if not platform.strip() or len(platform) > 100:
        raise click.BadParameter("must be 1..100 characters", param_hint="--platform")
    return platform.strip()


def grace_option(help_text: str):
    """``--grace``: how long, in seconds, a replaced signing secret stays valid (up to a
    week, default an hour), the same for every secret the CLI rotates."""
    return click.option("--grace", type=click.IntRange(0, 7 * 24 * 3600), default=3600,
                        show_default=True, help=help_text)


def redact(url: str) -> str:
    """Hide a password in a database URL before printing it."""
    return make_url(url).render_as_string(hide_password=True)
