"""The moderators' web UI under ``/moderation``: sign-in, queue, thread view, actions.

Importing this package stays cheap (the CLI imports ``service.moderation.cli``); the
routes load when ``init_app`` registers the blueprint.
"""

from __future__ import annotations

from datetime import timedelta

DEFAULTS = {
    "MODERATION_PAGE_SIZE": 25,
    "MODERATION_COMMENTS_PAGE_SIZE": 50,     # comments per page of a thread
    "MODERATION_MAX_FAILURES": 5,            # failed sign-ins before a lock-out
    "MODERATION_LOCKOUT": timedelta(minutes=5),
    "MODERATION_FAILURE_DELAY": 0.5,         # seconds added to every failed sign-in
}


def init_app(app) -> None:
    """Settings with their defaults, the state machine's rules, then the blueprint."""
    from ..config import ConfigError
    from ..services.moderation_state import Rules
    from . import actions, auth, i18n, queue, thread_view  # noqa: F401  (routes register)
    from .blueprint import RowIdConverter, bp

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    try:
        app.extensions["moderation_rules"] = Rules.from_config(app.config)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    app.url_map.converters["row_id"] = RowIdConverter  # before the routes are bound
    app.register_blueprint(bp)
