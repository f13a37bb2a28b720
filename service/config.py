"""Configuration: the only module that reads the environment.

Layers, later wins: built-in defaults, the instance config file
(``<data dir>/config.toml``), environment variables, then the mapping given to
``create_app`` (tests).
"""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path

from .files import FILE_MODE, private_dir
from .schemas.limits import MAX_COMMENTS_PER_REQUEST, MAX_COMMENTS_PER_THREAD

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "instance"
DEFAULT_MODELS_DIR = PROJECT_ROOT / "models"

# The comment limits' defaults are stated in schemas/limits.py; an instance may change them
# (MAX_COMMENTS_PER_REQUEST in its config file, THREAD_HEALTH_MAX_COMMENTS_PER_THREAD).
ENV_VARS = {
    "DATABASE_URL": "DATABASE_URL",
    "DATA_DIR": "THREAD_HEALTH_DATA_DIR",
    "MODEL_PATH": "THREAD_HEALTH_MODEL",
    "MODELS_DIR": "THREAD_HEALTH_MODELS_DIR",
    "SECRET_KEY": "SECRET_KEY",
    "API_RATE_LIMIT": "THREAD_HEALTH_API_RATE_LIMIT",
    "RATELIMIT_STORAGE_URI": "THREAD_HEALTH_RATELIMIT_STORAGE",
    "METRICS_TOKEN": "THREAD_HEALTH_METRICS_TOKEN",
    "MODERATION_REOPEN_SCORE_DROP": "THREAD_HEALTH_REOPEN_SCORE_DROP",
    # Webhooks (defaults and checks in service/webhooks/settings.py)
    "WEBHOOK_WORKER": "THREAD_HEALTH_WEBHOOK_WORKER",
    "WEBHOOK_ALLOWED_NETWORKS": "THREAD_HEALTH_WEBHOOK_ALLOWED_NETWORKS",
    "WEBHOOK_TIMEOUT": "THREAD_HEALTH_WEBHOOK_TIMEOUT",
    "WEBHOOK_RETRY_BASE": "THREAD_HEALTH_WEBHOOK_RETRY_BASE",
    "WEBHOOK_RETRY_MAX": "THREAD_HEALTH_WEBHOOK_RETRY_MAX",
    "WEBHOOK_MAX_ATTEMPTS": "THREAD_HEALTH_WEBHOOK_MAX_ATTEMPTS",
    "WEBHOOK_POLL": "THREAD_HEALTH_WEBHOOK_POLL",
    "WEBHOOK_RETENTION_DAYS": "THREAD_HEALTH_WEBHOOK_RETENTION_DAYS",
    "MAX_COMMENTS_PER_THREAD": "THREAD_HEALTH_MAX_COMMENTS_PER_THREAD",
    # Bulk jobs (defaults and checks in service/jobs/settings.py)
    **{key: "THREAD_HEALTH_" + key for key in (
        "JOB_QUEUE", "JOB_QUEUE_NAME", "JOB_CHUNK", "JOB_LEASE", "JOB_MAX_ATTEMPTS",
        "JOB_MAX_BODY", "JOB_MAX_LINES", "JOB_POLL")},
}
INTEGERS = ("MAX_COMMENTS_PER_REQUEST", "MAX_COMMENTS_PER_THREAD")


class ConfigError(Exception):
    """A setting is missing or has a value the service cannot use."""


def data_dir_from_env(environ: dict[str, str] | None = None) -> Path:
    """The data directory: ``THREAD_HEALTH_DATA_DIR`` or ``instance/`` in the project."""
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_VARS["DATA_DIR"])
    return Path(value).expanduser().resolve() if value else DEFAULT_DATA_DIR


def _read_instance_file(data_dir: Path) -> dict:
    path = data_dir / "config.toml"
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    return {key.upper(): value for key, value in raw.items()}


def _secret_key(data_dir: Path) -> str:
    """Read the instance's secret key, creating it (mode 600) on first run."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    private_dir(data_dir)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")
    return key


def _positive_int(key: str, value) -> int:
    """A limit from the configuration: a positive integer (ConfigError naming it else)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if isinstance(value, bool) or number < 1 or str(number) != str(value).strip():
        raise ConfigError(f"{key} must be a positive integer, got {value!r}")
    return number


def load_config(overrides: dict | None = None, environ: dict[str, str] | None = None) -> dict:
    """Merge the configuration layers into one plain dict of settings."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    data_dir = Path(overrides.get("DATA_DIR") or data_dir_from_env(environ))
    config: dict = {
        "DATA_DIR": data_dir,
        "DATABASE_URL": f"sqlite:///{data_dir / 'thread-health.sqlite3'}",
        "MODELS_DIR": DEFAULT_MODELS_DIR,
        "MODEL_PATH": None,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "MAX_COMMENTS_PER_REQUEST": MAX_COMMENTS_PER_REQUEST,
        "MAX_COMMENTS_PER_THREAD": MAX_COMMENTS_PER_THREAD,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": True,  # browsers count http://127.0.0.1 and localhost as secure
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,  # seconds a moderator's sign-in lasts
        "LOAD_MODEL": True,
        # Flask-Limiter syntax, per API key (and per worker with in-memory counters).
        "API_RATE_LIMIT": "100/second;3000/minute",
        "SIGN_IN_RATE_LIMIT": "10/minute",
        "RATELIMIT_ENABLED": True,
        "METRICS_TOKEN": None,  # bearer token for /metrics; unset: loopback clients only
    }
    config.update(_read_instance_file(data_dir))
    for key, var in ENV_VARS.items():
        if environ.get(var):
            config[key] = environ[var]
    config.update(overrides)
    for key in INTEGERS:
        config[key] = _positive_int(key, config[key])
    config["DATA_DIR"] = Path(config["DATA_DIR"])
    config["MODELS_DIR"] = Path(config["MODELS_DIR"])
    if "AUTO_MIGRATE" not in config:  # the embedded default sets itself up
        config["AUTO_MIGRATE"] = str(config["DATABASE_URL"]).startswith("sqlite")
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _secret_key(config["DATA_DIR"])
    return config
