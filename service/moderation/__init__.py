"""The moderators' web UI under ``/moderation``: sign-in, queue, thread view, actions.

Importing this package stays cheap (the CLI imports ``service.moderation.cli``); the
routes load when ``init_app`` registers the blueprint.
"""

from __future__ import annotations

from datetime import timedelta

DEFAULTS = {
    "MODERATION_PAGE_SIZE": 25,
    "MODERATION_COMMENTS_PAGE_SIZE": 50,     # comments per page of a thread
    "MODERATION_QUEUE_REFRESH": 30,          # seconds between the queue's refreshes; 0: off
    # Sign-in throttling (service/moderation/accounts.py); durations in seconds.
    "MODERATION_MAX_FAILURES": 5,            # per name and client address (or device) ...
    "MODERATION_FAILURE_WINDOW": 900,        # ... within 15 minutes
    "MODERATION_LOCKOUT": 300,               # ... then that pair waits 5 minutes
    "MODERATION_NAME_MAX_FAILURES": 30,      # per name from every address, within ...
    "MODERATION_NAME_WINDOW": 3600,          # ... an hour; then the name waits ...
    "MODERATION_NAME_LOCKOUT": 900,          # ... 15 minutes, except on known devices
    "MODERATION_DEVICE_DAYS": 90,            # how long a browser stays a known device
    "MODERATION_FAILURE_DELAY": 0.5,         # seconds added to every failed sign-in
    "SIGN_IN_COUNTERS_PREFIX": "thread-health:sign-in:",  # Redis keys, when Redis is used
}
DURATIONS = ("MODERATION_FAILURE_WINDOW", "MODERATION_LOCKOUT", "MODERATION_NAME_WINDOW",
             "MODERATION_NAME_LOCKOUT")


def seconds(value) -> timedelta:
    """A duration setting: seconds (config.toml) or a timedelta (tests, code)."""
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


def init_app(app) -> None:
    """Settings with their defaults, the state machine's rules, then the blueprint."""
    # Imported when the app is built, not whenever a submodule (openapi, cli) is imported.
    from ..config import ConfigError
    from ..errors import html_pages
    from ..services.moderation_state import Rules
    from . import (  # noqa: F401  (routes register)
        actions,
        auth,
        authors,
        bulk,
        queue,
        thread_view,
        tools,
    )
    from .blueprint import RowIdConverter, bp
    from .error_pages import page
    from .language import init_app as init_language

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    _check_throttle_settings(app.config)
    storage = str(app.config.get("RATELIMIT_STORAGE_URI") or "")
    if storage.startswith(("redis://", "rediss://", "redis+unix://")):
        import redis  # the sign-in counters go where the rate limits' counters go

        url = storage.replace("redis+unix://", "unix://", 1)  # limits' name for a socket
        app.extensions["sign_in_redis"] = redis.Redis.from_url(url)
    try:
        app.extensions["moderation_rules"] = Rules.from_config(app.config)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    init_language(app)
    app.url_map.converters["row_id"] = RowIdConverter  # before the routes are bound
    app.register_blueprint(bp)
    html_pages(app, bp.url_prefix, page)


def _check_throttle_settings(config) -> None:
    """Each limit a whole number >= 1, each duration a positive number of seconds."""
    # Imported when the app is built, not whenever a submodule (openapi, cli) is imported.
    from ..config import ConfigError

    for key in ("MODERATION_MAX_FAILURES", "MODERATION_NAME_MAX_FAILURES",
                "MODERATION_DEVICE_DAYS"):
        value = config[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{key.lower()}: expected a whole number of at least 1, got "
                              f"{value!r}")
    for key in DURATIONS:
        value = config[key]
        if not isinstance(value, timedelta) and (
                isinstance(value, bool) or not isinstance(value, int | float) or value <= 0):
            raise ConfigError(f"{key.lower()}: expected a number of seconds above 0, got "
                              f"{value!r}")
