"""``thread-health webhooks …`` on the SQLite database of the data directory."""

from __future__ import annotations

import pytest

from service.cli import main
from tests.conftest import dispose
from tests.webhooks.webhook_helpers import Receiver, recipe


@pytest.fixture
def cli(runner, monkeypatch):
    monkeypatch.setenv("THREAD_HEALTH_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8")
    monkeypatch.setenv("THREAD_HEALTH_WEBHOOK_MAX_ATTEMPTS", "1")

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, ["webhooks", *args])
        assert result.exit_code == code, result.output
        return result.stdout
    return run


def _ids(cli) -> list[str]:
    return [line.split()[1] for line in cli("list").splitlines()]


def test_add_list_rotate_remove(cli):
    secret = cli("add", "--platform", "forum", "https://hooks.example.org/th",
                 "--event", "thread.flagged").strip().splitlines()[-1]
    assert secret.startswith("whsec_")
    [endpoint] = _ids(cli)
    listed = cli("list", "--platform", "forum")
    assert "thread.flagged" in listed and "enabled" in listed and secret not in listed
    assert cli("list", "--platform", "nobody") == ""
    rotated = cli("rotate", "--platform", "forum", endpoint).strip().splitlines()[-1]
    assert rotated.startswith("whsec_") and rotated != secret
    cli("remove", "--platform", "other", endpoint, code=1)  # another platform's: unknown
    cli("remove", "--platform", "forum", endpoint)
    assert _ids(cli) == []


@pytest.mark.parametrize("args", [
    ("add", "--platform", "forum", "https://10.0.0.1/x"),
    ("add", "--platform", "forum", "ftp://hooks.example.org/"),
    ("add", "--platform", "forum", "https://hooks.example.org/", "--event", "thread.gone"),
    ("add", "--platform", "  ", "https://hooks.example.org/"),
    ("rotate", "--platform", "forum", "we_x", "--grace", "-1"),
    ("deliveries", "--platform", "forum", "we_x", "--status", "sent"),
])
def test_bad_arguments_are_usage_errors(cli, args):
    cli(*args, code=2)


def test_worker_once_delivers_and_a_failure_disables_then_enable_requeues(cli, tmp_path):
    """The standalone worker sends a moderator event; an endpoint that fails its only
    attempt is disabled with the reason in `list`, and `enable` queues the event again."""
    from service import create_app
    from tests.moderation.helpers import store_thread

    receiver = Receiver().start()
    app = create_app({"DATA_DIR": tmp_path, "TESTING": True, "LOAD_MODEL": False})
    try:
        secret = cli("add", "--platform", "forum", receiver.url).strip().splitlines()[-1]
        [endpoint] = _ids(cli)
        store_thread(app, "forum", "t1", flags=["dominated"])
        cli("worker", "--once")
        [(_, headers, body)] = receiver.received
        assert recipe()["verify_webhook"](secret, headers["X-Thread-Health-Signature"],
                                          body)["type"] == "thread.flagged"
        assert "delivered  attempts=1" in cli("deliveries", "--platform", "forum", endpoint)
        receiver.status = 503
        store_thread(app, "forum", "t2", flags=["dominated"])
        cli("worker", "--once")
    finally:
        receiver.stop()
        dispose(app)
    listed = cli("list")
    assert "DISABLED" in listed and "1 failed attempts" in listed and "HTTP 503" in listed
    assert "failed  attempts=1" in cli("deliveries", "--platform", "forum", endpoint,
                                       "--status", "failed")
    assert "1 deliveries queued" in cli("enable", "--platform", "forum", endpoint)
    assert "enabled" in cli("list")
