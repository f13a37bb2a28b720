"""Issue 19, finding 3: sign-in throttling told names apart and could lock a moderator out.

On main before this work a known name was locked at exactly its 5th wrong password and an
unknown one at the 7th to 9th (unknown names were counted per worker process), and five
wrong passwords from anyone locked the real moderator out for 5 minutes. Here: the
counters are in the database, so every process sees the same count; known and unknown
names get the same answers; failures from one address or one device stop that address or
device only, and the per-name limit spares the browsers the moderator signed in from.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.moderation import accounts
from service.moderation.auth import DEVICE_COOKIE
from service.store import reading
from service.store.models import AuditEntry, SignInThrottle
from tests.conftest import dispose
from tests.moderation.helpers import PASSWORD, TEST_CONFIG, add_moderator, csrf_of, make_app

WRONG = "wrong password!"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(tmp_path):
    """An app on a fresh SQLite database, without the model, failures not delayed."""
    app = make_app(tmp_path)
    yield app
    dispose(app)


@pytest.fixture
def moderator(app) -> str:
    return add_moderator(app, ["p"])


def attempt(client, username, password=WRONG, address="10.0.0.1"):
    """One sign-in from ``address``: the response."""
    env = {"REMOTE_ADDR": address}
    token = csrf_of(client.get("/moderation/login", environ_base=env))
    return client.post("/moderation/login", environ_base=env,
                       data={"csrf_token": token, "username": username, "password": password})


def sign_out(client) -> None:
    """Sign out, keeping the browser's cookies (the device cookie among them)."""
    env = {"REMOTE_ADDR": "10.0.0.7"}
    token = csrf_of(client.get("/moderation/", environ_base=env))
    assert client.post("/moderation/logout", environ_base=env,
                       data={"csrf_token": token}).status_code == 303


# Another process on the same data directory: what a second gunicorn worker is.
WORKER = """
import json, sys
from service import create_app
config = json.loads(sys.argv[1])
app = create_app(config)
client = app.test_client()
answers = []
for _ in range(int(sys.argv[3])):
    env = {"REMOTE_ADDR": "10.0.0.1"}
    page = client.get("/moderation/login", environ_base=env).get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    answers.append(client.post("/moderation/login", environ_base=env, data={
        "csrf_token": token, "username": sys.argv[2], "password": "wrong password!"}).status_code)
print(json.dumps(answers))
"""


def in_other_process(data_dir: Path, username: str, times: int) -> list[int]:
    config = {**TEST_CONFIG, "DATA_DIR": str(data_dir)}
    done = subprocess.run([sys.executable, "-c", WORKER, json.dumps(config), username,
                           str(times)], capture_output=True, text=True, timeout=180, cwd=ROOT,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kind", ["known", "unknown"])
def test_every_process_counts_the_same_failures(tmp_path, kind):
    app = make_app(tmp_path)
    name = add_moderator(app, ["p"]) if kind == "known" else "nobody-here"
    dispose(app)
    first = in_other_process(tmp_path, name, 3)
    second = in_other_process(tmp_path, name, 3)
    assert first == [200, 200, 200]
    assert second == [200, 429, 429]  # the 5th failure overall, whichever process took it


def answers(app, username: str, tries: int) -> list[tuple]:
    """Status, throttle wait (minutes) and page (name and CSRF token blanked) of each
    attempt; the wait in minutes, as the page shows it (seconds tick between the runs)."""
    client, out = app.test_client(), []
    for _ in range(tries):
        response = attempt(client, username)
        page = response.get_data(as_text=True).replace(username, "NAME")
        wait = (round(int(response.headers["Retry-After"]) / 60)
                if response.status_code == 429 else None)
        out.append((response.status_code, wait, page.replace(csrf_of(response), "TOKEN")))
    return out


def test_known_and_unknown_names_get_the_same_answers(app, moderator):
    known, unknown = answers(app, moderator, 7), answers(app, "ghost-" + moderator, 7)
    assert [a[:2] for a in known] == [(200, None)] * 4 + [(429, 5)] * 3
    assert known == unknown


def test_an_unknown_name_costs_a_password_hash_like_a_known_one(app, moderator, monkeypatch):
    verified = []
    real = accounts._verify
    monkeypatch.setattr(accounts, "_verify",
                        lambda stored, password: verified.append(stored) or real(stored, password))
    attempt(app.test_client(), moderator)
    attempt(app.test_client(), "ghost-" + moderator)
    assert len(verified) == 2 and all(h.startswith("$argon2id$") for h in verified)


def test_failures_from_another_address_do_not_lock_the_moderator_out(app, moderator):
    attacker = app.test_client()
    tries = [attempt(attacker, moderator, address="203.0.113.9").status_code for _ in range(8)]
    assert tries[4:] == [429] * 4
    assert attempt(attacker, moderator, PASSWORD, "203.0.113.9").status_code == 429
    assert attempt(app.test_client(), moderator, PASSWORD, "10.0.0.7").status_code == 303


def test_a_distributed_guess_stops_at_the_name_limit_but_not_the_moderators_browser(
        tmp_path):
    app = make_app(tmp_path, MODERATION_NAME_MAX_FAILURES=6)
    moderator = add_moderator(app, ["p"])
    browser = app.test_client()
    assert attempt(browser, moderator, PASSWORD, "10.0.0.7").status_code == 303
    assert browser.get_cookie(DEVICE_COOKIE, path="/moderation") is not None
    sign_out(browser)
    attacker = app.test_client()
    statuses = [attempt(attacker, moderator, address=f"198.51.100.{k}").status_code
                for k in range(1, 9)]
    assert statuses == [200] * 5 + [429] * 3  # the 6th failure over every address
    # A new browser waits like the attacker; the moderator's own browser signs in.
    assert attempt(app.test_client(), moderator, PASSWORD, "10.0.0.8").status_code == 429
    assert attempt(browser, moderator, PASSWORD, "10.0.0.7").status_code == 303
    with app.app_context(), reading() as session:
        throttled = session.scalars(select(AuditEntry.target).where(
            AuditEntry.action == "moderator.throttle")).all()
    assert throttled == [moderator]


def test_a_device_cookie_counts_for_its_own_name_only(tmp_path):
    app = make_app(tmp_path, MODERATION_NAME_MAX_FAILURES=2)
    first, second = add_moderator(app, ["p"]), add_moderator(app, ["p"])
    browser = app.test_client()
    assert attempt(browser, first, PASSWORD).status_code == 303
    sign_out(browser)
    for k in range(2):  # the second name reaches its per-name limit
        attempt(app.test_client(), second, address=f"198.51.100.{k}")
    assert attempt(browser, second, PASSWORD).status_code == 429  # first's cookie: no help
    forged = app.test_client()
    forged.set_cookie(DEVICE_COOKIE, "e30.forged.signature", path="/moderation")
    assert attempt(forged, second, PASSWORD).status_code == 429


def test_the_device_cookie_is_private_to_the_moderation_ui(app, moderator):
    response = attempt(app.test_client(), moderator, PASSWORD)
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith(DEVICE_COOKIE + "="))
    for attribute in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/moderation", "Max-Age="):
        assert attribute in cookie


def test_counters_keep_no_username(app, moderator):
    attempt(app.test_client(), moderator)
    attempt(app.test_client(), "typed-a-password-here")
    with app.app_context(), reading() as session:
        keys = session.scalars(select(SignInThrottle.key)).all()
    assert len(keys) == 4 and not any(moderator in k or "typed" in k for k in keys)


def test_concurrent_failures_are_all_counted(db_app):
    """20 failures at once from 20 threads (the database decides the order): 20 counted,
    on SQLite and PostgreSQL."""
    app = db_app
    app.config.update(MODERATION_FAILURE_DELAY=0, SIGN_IN_RATE_LIMIT="10000/minute",
                      MODERATION_NAME_MAX_FAILURES=1000)
    name = "concurrent-" + db_app.config["DATABASE_URL"][:5]
    statuses, barrier = [], threading.Barrier(20)

    def one(k):
        client = app.test_client()
        env = {"REMOTE_ADDR": f"192.0.2.{k}"}
        token = csrf_of(client.get("/moderation/login", environ_base=env))
        barrier.wait()
        statuses.append(client.post("/moderation/login", environ_base=env, data={
            "csrf_token": token, "username": name, "password": WRONG}).status_code)

    threads = [threading.Thread(target=one, args=(k,)) for k in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    policy_key = accounts.Policy(None, None, app.config["SECRET_KEY"], None).name_key(name)
    with app.app_context(), reading() as session:
        counted = session.scalar(select(func.max(SignInThrottle.failures))
                                 .where(SignInThrottle.key == policy_key))
    assert statuses == [200] * 20 and counted == 20


@pytest.fixture
def redis_url():
    """Redis on 127.0.0.1:6379 (skips, saying why, when none answers); the test's keys
    carry a prefix of their own and are deleted after it."""
    import uuid

    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.skip(f"no Redis answers on 127.0.0.1:6379 ({exc})")
    prefix = f"th-test-{uuid.uuid4().hex}:"
    yield "redis://127.0.0.1:6379/0", prefix
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)
    client.close()


def test_with_redis_configured_every_worker_counts_there(tmp_path, redis_url):
    """Two apps with two different databases but the same Redis and secret key (workers of
    one service): the failures of one count for the other, and the database counts none."""
    url, prefix = redis_url
    config = {"RATELIMIT_STORAGE_URI": url, "SIGN_IN_COUNTERS_PREFIX": prefix,
              "SECRET_KEY": "one secret for both workers"}
    first = make_app(tmp_path / "a", **config)
    second = make_app(tmp_path / "b", **config)
    try:
        name = add_moderator(first, ["p"], username="shared-name")
        add_moderator(second, ["p"], username=name)
        for ghost in (name, "nobody-here"):
            assert [attempt(first.test_client(), ghost).status_code for _ in range(3)] == [200] * 3
            later = [attempt(second.test_client(), ghost) for _ in range(2)]
            assert [r.status_code for r in later] == [200, 429]
            assert 0 < int(later[1].headers["Retry-After"]) <= 300
        assert attempt(second.test_client(), name, PASSWORD, "10.0.0.9").status_code == 303
        for app in (first, second):
            with app.app_context(), reading() as session:
                assert session.scalar(select(func.count()).select_from(SignInThrottle)) == 0
    finally:
        dispose(first)
        dispose(second)
