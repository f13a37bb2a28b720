"""``kill -9`` of the real service (gunicorn, two workers) after a change and before its
event is delivered: the event is in the database, and it reaches the receiver after the
restart, once."""

from __future__ import annotations

import signal
import time

import pytest
from sqlalchemy import create_engine, text

from tests.helpers import Server, free_port, http
from tests.webhooks.webhook_helpers import Receiver, recipe

ENV = {"THREAD_HEALTH_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
       "THREAD_HEALTH_WEBHOOK_RETRY_BASE": "0.2", "THREAD_HEALTH_WEBHOOK_RETRY_MAX": "1",
       "THREAD_HEALTH_WEBHOOK_TIMEOUT": "2", "THREAD_HEALTH_WEBHOOK_POLL": "0.2"}
SPAM_THREAD = {"title": "Sourdough at altitude", "language": "en", "comments": [
    {"id": "c1", "author": "lea", "text": "Anyone baking sourdough above 1500 m? My loaves "
                                          "collapse."},
    {"id": "c2", "author": "sam", "text": "Check out my bakery channel, link in bio!!"}]}


def _deliveries(url: str, endpoint_id: str) -> list[tuple[str, str, str, int]]:
    """(event id, type, status, attempts) of the endpoint's deliveries."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("""
            SELECT e.public_id, e.type, d.status, d.attempts FROM webhook_deliveries d
            JOIN webhook_events e ON e.id = d.event_id
            JOIN webhook_endpoints w ON w.id = d.endpoint_id
            WHERE w.public_id = :endpoint ORDER BY d.id"""), {"endpoint": endpoint_id}).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_kill_9_between_the_change_and_the_delivery_loses_nothing(backend, tmp_path, request):
    env = dict(ENV)
    db_url = f"sqlite:///{tmp_path / 'thread-health.sqlite3'}"
    if backend == "postgresql":
        db_url = env["DATABASE_URL"] = request.getfixturevalue("pg_url")
    server = Server(tmp_path, env, workers=2)
    key = server.cli("keys", "create", "--platform", f"crash-wh-{backend}").split()[-1]
    receiver = Receiver(port=free_port())  # not listening yet: nothing can be delivered
    server.start()
    try:
        status, endpoint, _ = http("POST", f"{server.url}/v1/webhooks",
                                   {"url": receiver.url, "events": ["thread.flagged"]}, key)
        assert status == 201
        status, analysis, _ = http("PUT", f"{server.url}/v1/threads/t-crash", SPAM_THREAD, key)
        assert status == 201 and analysis["health"]["flags"], analysis["health"]
        # the worker has tried (and failed) at least once: the service is mid-delivery
        assert _wait(lambda: any(d[3] >= 1 for d in _deliveries(db_url, endpoint["id"])), 30)
        server.kill(signal.SIGKILL)
    finally:
        server.kill()
    [(event_id, kind, state, _)] = _deliveries(db_url, endpoint["id"])
    assert (kind, state) == ("thread.flagged", "pending")

    receiver.start()
    server.start()
    try:
        assert _wait(lambda: _deliveries(db_url, endpoint["id"])[0][2] == "delivered", 60)
        time.sleep(1)  # a second copy would arrive now
    finally:
        server.kill()
        receiver.stop()
    [(_, headers, body)] = receiver.received  # once, by one of the two workers
    event = recipe()["verify_webhook"](endpoint["secret"], headers["X-Thread-Health-Signature"],
                                       body)
    assert event["id"] == event_id and event["type"] == "thread.flagged"
    assert event["thread"]["id"] == "t-crash"
    assert event["thread"]["flags"] == analysis["health"]["flags"]
    assert event["thread"]["score"] == analysis["health"]["score"]
