"""Sign-in, lock-out, sessions and sign-out of the moderation UI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.moderation.accounts import HASHER
from service.store import reading, transaction
from service.store.models import Moderator, utcnow
from tests.moderation.helpers import (
    BROWSER,
    PASSWORD,
    audit,
    csrf_of,
    make_app,
    sign_in,
    token,
)


def _moderator(app, username) -> Moderator:
    with app.app_context(), reading() as session:
        return session.scalar(select(Moderator).where(Moderator.username == username))


def test_sign_in_sets_a_secure_session_and_goes_to_the_queue(app, moderator):
    client = app.test_client()
    response = sign_in(client, moderator)
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/"
    cookie = response.headers["Set-Cookie"]
    for attribute in ("Secure", "HttpOnly", "SameSite=Lax", "Expires="):
        assert attribute in cookie
    assert client.get("/moderation/").status_code == 200
    assert [e.target for e in audit(app, "moderator.sign_in")] == [moderator]


def test_the_stored_password_is_an_argon2id_hash(app, moderator):
    stored = _moderator(app, moderator).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert HASHER.verify(stored, PASSWORD)


@pytest.mark.parametrize(("username", "password"), [
    ("known", "wrong password!"), ("nobody-by-that-name", "wrong password!"),
    ("known", ""), ("", PASSWORD),
])
def test_failures_give_one_answer_whether_or_not_the_account_exists(app, moderator,
                                                                     username, password):
    client = app.test_client()
    response = sign_in(client, moderator if username == "known" else username, password)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Identifiant ou mot de passe incorrect." in html or "Saisissez" in html
    assert client.get("/moderation/").status_code == 302


def test_unknown_and_known_names_fail_with_the_same_page(app, moderator):
    def page(name):
        response = sign_in(app.test_client(), name, "wrong password!")
        html = response.get_data(as_text=True)
        return response.status_code, html.replace(name, "NAME").replace(csrf_of(response),
                                                                           "TOKEN")

    assert page(moderator) == page("ghost-" + moderator)


def test_five_failures_from_one_address_make_it_wait_with_429_and_retry_after(app, moderator):
    client = app.test_client()
    answers = [sign_in(client, moderator, "wrong password!").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    locked = sign_in(client, moderator, PASSWORD)  # this address waits, even with the password
    assert locked.status_code == 429
    assert 0 < int(locked.headers["Retry-After"]) <= 300
    assert "Trop de tentatives" in locked.get_data(as_text=True)
    assert client.get("/moderation/").status_code == 302


def test_an_unknown_name_is_throttled_the_same_way(app):
    client = app.test_client()
    answers = [sign_in(client, "ghost-abc", "wrong password!").status_code for _ in range(6)]
    assert answers == [200, 200, 200, 200, 429, 429]


def test_the_wait_ends_after_its_time_and_success_clears_the_count(app, moderator):
    from service.store.models import SignInThrottle

    client = app.test_client()
    for _ in range(5):
        sign_in(client, moderator, "wrong password!")
    with app.app_context(), transaction() as session:
        for row in session.scalars(select(SignInThrottle)):
            if row.locked_until is not None:
                row.locked_until = utcnow() - timedelta(seconds=1)
    assert sign_in(client, moderator, "wrong password!").status_code == 200  # counts anew
    assert sign_in(client, moderator, PASSWORD).status_code == 303
    with app.app_context(), reading() as session:
        left = list(session.scalars(select(SignInThrottle)))
    assert [row.failures for row in left] == [6]  # only the name's count over every address


def test_a_failure_waits_the_configured_delay(tmp_path):
    import time

    from tests.moderation.helpers import add_moderator

    app = make_app(tmp_path, MODERATION_FAILURE_DELAY=0.3)
    name = add_moderator(app, ["p"])
    started = time.perf_counter()
    sign_in(app.test_client(), name, "wrong password!")
    assert time.perf_counter() - started >= 0.3


def test_sign_in_replaces_the_anonymous_session(app, moderator):
    client = app.test_client()
    before = csrf_of(client.get("/moderation/login"))
    sign_in(client, moderator)
    after = token(client)
    assert after != before
    stale = client.post("/moderation/language", data={"csrf_token": before, "lang": "en"})
    assert stale.status_code == 400  # the old session's token died with it


def test_sign_out_ends_every_session_of_the_account(app, moderator):
    first, second = app.test_client(), app.test_client()
    sign_in(first, moderator)
    sign_in(second, moderator)
    copied = first.get_cookie("session").value
    response = first.post("/moderation/logout", data={"csrf_token": token(first)})
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/login"
    assert first.get("/moderation/").status_code == 302
    assert second.get("/moderation/").status_code == 302  # signed out there too
    replay = app.test_client()
    replay.set_cookie("session", copied)
    assert replay.get("/moderation/").status_code == 302  # a stolen cookie is dead too


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "/v1/threads", "javascript:alert(1)", "/\\evil.example"])
def test_next_never_leaves_the_moderation_ui(app, moderator, target):
    response = sign_in(app.test_client(), moderator, next_url=target)
    assert response.headers["Location"] == "/moderation/"


def test_next_brings_back_to_the_page_asked_for(app, moderator):
    client = app.test_client()
    first = client.get("/moderation/?flag=dominated")
    assert first.headers["Location"] == "/moderation/login?next=/moderation/?flag%3Ddominated"
    page = client.get(first.headers["Location"])
    assert 'name="next" value="/moderation/?flag=dominated"' in page.get_data(as_text=True)
    response = sign_in(client, moderator, next_url="/moderation/?flag=dominated")
    assert response.headers["Location"] == "/moderation/?flag=dominated"


def test_a_signed_in_moderator_visiting_sign_in_goes_to_the_queue(signed_in):
    response = signed_in.get("/moderation/login")
    assert response.status_code == 302 and response.headers["Location"] == "/moderation/"


def test_sign_in_attempts_per_address_are_rate_limited(tmp_path):
    app = make_app(tmp_path, SIGN_IN_RATE_LIMIT="3/minute")
    client = app.test_client()
    answers = [sign_in(client, "someone", "wrong password!").status_code for _ in range(4)]
    assert answers[-1] == 429
    over = client.post("/moderation/login", headers=BROWSER, data={
        "csrf_token": csrf_of(client.get("/moderation/login")), "username": "someone",
        "password": "x"})
    assert "text/html" in over.headers["Content-Type"] and int(over.headers["Retry-After"]) > 0
    assert "Trop de tentatives" in over.get_data(as_text=True)


def test_a_deleted_account_loses_its_session(app, moderator):
    client = app.test_client()
    sign_in(client, moderator)
    with app.app_context(), transaction() as session:
        session.delete(session.scalar(select(Moderator).where(Moderator.username == moderator)))
    assert client.get("/moderation/").status_code == 302
