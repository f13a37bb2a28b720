"""The webhook settings, read from the service's configuration and checked once."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from ..config import ConfigError

WORKER_MODES = ("embedded", "external")
DEFAULTS = {
    "WEBHOOK_WORKER": "embedded",      # a thread of each service process sends events
    "WEBHOOK_ALLOWED_NETWORKS": "",    # non-public networks a URL may point into
    "WEBHOOK_TIMEOUT": 10.0,           # seconds for a whole delivery attempt
    "WEBHOOK_RETRY_BASE": 30.0,        # first retry after about this many seconds
    "WEBHOOK_RETRY_MAX": 3600.0,       # retries are never further apart than this
    "WEBHOOK_MAX_ATTEMPTS": 16,        # then the endpoint is disabled
    "WEBHOOK_POLL": 1.0,               # seconds between looks at the outbox
    "WEBHOOK_RETENTION_DAYS": 30,      # finished deliveries and their events are then deleted
}
VARIABLES = {key: "THREAD_HEALTH_" + key for key in DEFAULTS}


@dataclass(frozen=True)
class WebhookSettings:
    worker: str
    allowed_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    timeout: float
    retry_base: float
    retry_max: float
    max_attempts: int
    poll: float
    retention_days: int = 30
    batch: int = 5

    @property
    def lease(self) -> float:
        """How long a claimed batch is a worker's: longer than sending it can take."""
        return self.batch * (self.timeout + 1) + 5


def _number(config: dict, key: str, kind, low, high):
    value = config.get(key, DEFAULTS[key])
    try:
        number = kind(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise ConfigError(f"{VARIABLES[key]}={value!r}: expected a number from {low} to {high}")
    return number


def networks(value) -> tuple:
    """CIDR networks from a comma-separated string (or a list, from config.toml)."""
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    out = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ConfigError(f"{VARIABLES['WEBHOOK_ALLOWED_NETWORKS']}: {item!r} is not a "
                              "network such as 127.0.0.0/8 or ::1/128") from exc
    return tuple(out)


def from_config(config: dict) -> WebhookSettings:
    """The settings of ``config`` (the service's), or ConfigError naming the variable."""
    worker = str(config.get("WEBHOOK_WORKER", DEFAULTS["WEBHOOK_WORKER"]))
    if worker not in WORKER_MODES:
        raise ConfigError(f"{VARIABLES['WEBHOOK_WORKER']}={worker!r}: expected one of "
                          f"{list(WORKER_MODES)}")
    base = _number(config, "WEBHOOK_RETRY_BASE", float, 0.01, 86_400)
    return WebhookSettings(
        worker=worker,
        allowed_networks=networks(config.get("WEBHOOK_ALLOWED_NETWORKS", "")),
        timeout=_number(config, "WEBHOOK_TIMEOUT", float, 0.1, 60),
        retry_base=base,
        retry_max=max(base, _number(config, "WEBHOOK_RETRY_MAX", float, 0.01, 7 * 86_400)),
        max_attempts=_number(config, "WEBHOOK_MAX_ATTEMPTS", int, 1, 100),
        poll=_number(config, "WEBHOOK_POLL", float, 0.05, 60),
        retention_days=_number(config, "WEBHOOK_RETENTION_DAYS", int, 1, 3650))
