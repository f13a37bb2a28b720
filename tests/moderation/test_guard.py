"""What stands in front of every moderation URL: sign-in, CSRF, the moderator's scope."""

from __future__ import annotations

import re

import pytest

from service.store import reading
from service.store.models import Comment, Correction
from tests.moderation.helpers import (
    BROWSER,
    add_moderator,
    audit,
    csrf_of,
    flags_of,
    sign_in,
    store_thread,
    thread_row,
    token,
)


@pytest.fixture
def world(app):
    """Platforms A and B with a flagged thread each; a moderator of A; an admin."""
    a = store_thread(app, "plat-a", "ta", flags=["dominated", "self_promotion"])
    b = store_thread(app, "plat-b", "tb", flags=["dominated", "self_promotion"])
    with app.app_context(), reading() as session:
        comments = {c.thread_id: c.id for c in session.query(Comment).order_by(Comment.id)}
    return {"a": a, "b": b, "ca": comments[a], "cb": comments[b],
            "mod": add_moderator(app, ["plat-a"]), "admin": add_moderator(app, admin=True)}


def _gets(w, side: str) -> list[str]:
    return ["/moderation/", "/moderation/?flag=dominated&state=all",
            f"/moderation/threads/{w[side]}"]


def _posts(w, side: str) -> list[tuple[str, dict]]:
    t, c = w[side], w["c" + side]
    return [(f"/moderation/threads/{t}/review", {}),
            (f"/moderation/threads/{t}/escalate", {"note": "x"}),
            (f"/moderation/threads/{t}/flags/dominated/dismiss", {"reason": "hors sujet"}),
            (f"/moderation/threads/{t}/comments/{c}/correction",
             {"field": "act", "value": "contribution"})]


def _untouched(app, w, side: str) -> None:
    assert thread_row(app, w[side]).review_state == "open"
    assert {f.state for f in flags_of(app, w[side]).values()} == {"open"}
    with app.app_context(), reading() as session:
        assert session.query(Correction).count() == 0
    assert audit(app, "moderation.review") == audit(app, "moderation.correct") == []


def test_every_page_without_a_session_redirects_to_sign_in(app, world):
    client = app.test_client()
    for url in _gets(world, "a"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/moderation/login?next=/moderation/")


def test_every_form_without_a_session_redirects_to_sign_in(app, world):
    client = app.test_client()
    csrf = csrf_of(client.get("/moderation/login"))  # a valid token, but nobody signed in
    for url, data in [*_posts(world, "a"), ("/moderation/logout", {})]:
        response = client.post(url, data={**data, "csrf_token": csrf})
        assert response.status_code == 303, url
        assert response.headers["Location"].startswith("/moderation/login")
    _untouched(app, world, "a")


@pytest.mark.parametrize("csrf", [None, "", "forged-token"])
def test_a_form_without_its_csrf_token_is_refused(app, world, csrf):
    client = app.test_client()
    sign_in(client, world["mod"])
    extra = {} if csrf is None else {"csrf_token": csrf}
    forms = [*_posts(world, "a"), ("/moderation/language", {"lang": "en"}),
             ("/moderation/logout", {})]
    for url, data in forms:
        response = client.post(url, data={**data, **extra}, headers=BROWSER)
        assert response.status_code == 400, url
        assert "Formulaire expiré" in response.get_data(as_text=True)
    _untouched(app, world, "a")
    assert client.get("/moderation/").status_code == 200  # logout was refused too


def test_sign_in_itself_needs_the_csrf_token(app, world):
    response = app.test_client().post("/moderation/login", data={
        "username": world["mod"], "password": "correct horse battery staple"})
    assert response.status_code == 400


def test_a_moderator_gets_404_for_another_platforms_thread(app, world):
    client = app.test_client()
    sign_in(client, world["mod"])
    csrf = token(client)
    assert client.get(f"/moderation/threads/{world['b']}").status_code == 404
    for url, data in _posts(world, "b"):
        assert client.post(url, data={**data, "csrf_token": csrf}).status_code == 404, url
    _untouched(app, world, "b")
    assert client.get(f"/moderation/threads/{world['a']}").status_code == 200


def test_a_missing_thread_and_an_out_of_scope_one_look_the_same(app, world):
    client = app.test_client()
    sign_in(client, world["mod"])
    other = client.get(f"/moderation/threads/{world['b']}")
    missing = client.get("/moderation/threads/999999")
    assert other.status_code == missing.status_code == 404
    # The pages may differ only in the thread number and in the CSRF token, whose signed
    # time moves on when the two requests fall in different seconds.
    assert (_without_token(other.get_data(as_text=True)).replace(f"/threads/{world['b']}",
                                                                 "/threads/N")
            == _without_token(missing.get_data(as_text=True)).replace("/threads/999999",
                                                                      "/threads/N"))


def _without_token(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', html)


def test_a_comment_of_another_thread_cannot_be_corrected_through_mine(app, world):
    client = app.test_client()
    sign_in(client, world["mod"])
    response = client.post(f"/moderation/threads/{world['a']}/comments/{world['cb']}/correction",
                           data={"csrf_token": token(client), "field": "act",
                                 "value": "contribution"})
    assert response.status_code == 404


def test_the_queue_lists_only_the_moderators_platforms(app, world):
    client = app.test_client()
    sign_in(client, world["mod"])
    html = client.get("/moderation/?state=all").get_data(as_text=True)
    assert "Fil ta" in html and "Fil tb" not in html and "plat-b" not in html
    filtered = client.get("/moderation/?platform=plat-b").get_data(as_text=True)
    assert "Fil tb" not in filtered and "Fil ta" not in filtered


def test_an_admin_sees_every_platform(app, world):
    client = app.test_client()
    sign_in(client, world["admin"])
    html = client.get("/moderation/").get_data(as_text=True)
    assert "Fil ta" in html and "Fil tb" in html
    assert client.get(f"/moderation/threads/{world['b']}").status_code == 200


def test_the_api_is_not_behind_csrf(app):
    """Bearer-key calls carry no CSRF token; without a model they get 503, not 400."""
    from tests.helpers import new_key

    _, headers = new_key(app)
    response = app.test_client().post("/v1/analyze/comment", json={"text": "Bonjour"},
                                      headers=headers)
    assert response.status_code == 503
