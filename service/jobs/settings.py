"""The job settings, read from the service's configuration and checked once."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import ConfigError

DEFAULTS = {
    "JOB_QUEUE": "",                    # redis://… for RQ workers; empty: the database queue
    "JOB_QUEUE_NAME": "thread-health-jobs",  # the RQ queue (and its Redis keys)
    "JOB_CHUNK": 25,                    # input lines per chunk
    "JOB_LEASE": 20.0,                  # seconds a chunk stays a silent worker's
    "JOB_MAX_ATTEMPTS": 3,              # runs of a chunk before its lines fail
    "JOB_MAX_BODY": 64 * 1024 * 1024,   # bytes of an NDJSON job body
    "JOB_MAX_LINES": 200_000,           # threads in one job
    "JOB_POLL": 0.5,                    # seconds between looks at the database queue
}
VARIABLES = {key: "THREAD_HEALTH_" + key for key in DEFAULTS}


@dataclass(frozen=True)
class JobSettings:
    queue_url: str
    queue_name: str
    chunk: int
    lease: float
    max_attempts: int
    max_body: int
    max_lines: int
    poll: float

    @property
    def redis(self) -> bool:
        """Whether chunks go through RQ on Redis (else the database is the queue)."""
        return bool(self.queue_url)


NUMBERS = {  # setting: (type, lowest, highest)
    "JOB_CHUNK": (int, 1, 10_000), "JOB_LEASE": (float, 0.5, 3600),
    "JOB_MAX_ATTEMPTS": (int, 1, 100), "JOB_MAX_BODY": (int, 1024, 2**34),
    "JOB_MAX_LINES": (int, 1, 10_000_000), "JOB_POLL": (float, 0.01, 60),
}


def _numbers(config: dict) -> dict:
    """Each numeric setting, lower-cased, checked against its range."""
    out = {}
    for key, (kind, low, high) in NUMBERS.items():
        value = config.get(key, DEFAULTS[key])
        try:
            out[key[4:].lower()] = number = kind(value)
        except (TypeError, ValueError):
            number = None
        if number is None or isinstance(value, bool) or not low <= number <= high:
            raise ConfigError(f"{VARIABLES[key]}={value!r}: expected a number from {low} "
                              f"to {high}")
    return out


def from_config(config: dict) -> JobSettings:
    """The settings of ``config``, or ConfigError naming the variable."""
    url = str(config.get("JOB_QUEUE") or "").strip()
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"{VARIABLES['JOB_QUEUE']}={url!r}: expected a redis:// URL, or "
                          "nothing for the database queue")
    name = str(config.get("JOB_QUEUE_NAME") or DEFAULTS["JOB_QUEUE_NAME"]).strip()
    if not name or len(name) > 100 or any(c.isspace() for c in name):
        raise ConfigError(f"{VARIABLES['JOB_QUEUE_NAME']}={name!r}: expected a name of 1 to "
                          "100 characters without spaces")
    return JobSettings(queue_url=url, queue_name=name, **_numbers(config))
