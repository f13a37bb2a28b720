"""A short soak in every test run (16 clients, PostgreSQL); ``SOAK_SECONDS=60`` for the
long one. The full-length runs are ``python -m bench.soak`` (figures in
docs/reliability.md)."""

from __future__ import annotations

import os

import pytest

from bench.soak import check, run
from tests.helpers import Server, http

SECONDS = float(os.environ.get("SOAK_SECONDS", "8"))


@pytest.mark.slow
def test_sixteen_clients_lose_nothing_and_never_fail(tmp_path, pg_url):
    server = Server(tmp_path, {"DATABASE_URL": pg_url,
                               "THREAD_HEALTH_API_RATE_LIMIT": "100000/second"}, workers=2)
    platform = f"soak-{tmp_path.name}"
    key = server.cli("keys", "create", "--platform", platform).strip().splitlines()[-1]
    server.start()
    try:
        status, _, _ = http("GET", f"{server.url}/v1/threads", key=key)
        assert status == 200, f"the new key is refused ({status}); server log:\n" + \
            server.log.read_text()[-2000:]
        stats = run(server.url, key, clients=16, seconds=SECONDS, seed=1)
    finally:
        server.kill()
    assert stats["failures"] == []
    assert stats["requests"]["append"] > 16 and stats["requests"]["read"] > 0
    verdict = check(pg_url, platform, stats["acknowledged"])
    assert verdict["problems"] == []
    assert verdict["comments_checked"] > 50
