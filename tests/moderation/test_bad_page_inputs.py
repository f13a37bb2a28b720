"""A table of bad inputs per moderation page: never a 500, nothing written before the
input is checked, and a safe page or redirect instead."""

from __future__ import annotations

import pytest

from tests.helpers import HUGE_CURSOR, HUGE_ID_CURSOR, NESTED_CURSOR
from tests.moderation.helpers import audit, csrf_of, sign_in, store_thread, thread_row, token

HUGE = "99999999999999999999999"
OVER_BIGINT = str(2**63)
UNSAFE_NEXT = ["/moderation/\r\nSet-Cookie: planted=1", "/moderation/\nX-Injected: 1",
               "/moderation/\r", "/moderation/\x00", "/moderation/\u2028"]


@pytest.fixture
def thread(app, platform):
    return store_thread(app, platform, "t1", flags=["self_promotion"])


# (query of the queue, what the page says)
QUEUE_CASES = [
    (f"cursor={HUGE_CURSOR}", "cursor"),
    (f"cursor={HUGE_ID_CURSOR}", "cursor"),
    (f"cursor={NESTED_CURSOR}", "cursor"),
    ("to=9999-12-31", None),
    ("from=9999-12-31&to=9999-12-31", None),
]


@pytest.mark.parametrize(("query", "notice"), QUEUE_CASES, ids=[q[:30] for q, _ in QUEUE_CASES])
def test_the_queue_answers_a_clean_page(signed_in, thread, query, notice):
    response = signed_in.get(f"/moderation/?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    if notice:  # an edited cursor: the first page, saying why
        assert f'data-thread-id="{thread}"' in html and notice in html
    elif query.startswith("to="):  # up to the last day there is: everything
        assert f'data-thread-id="{thread}"' in html


@pytest.mark.parametrize("row_id", [HUGE, OVER_BIGINT])
def test_a_thread_id_no_database_can_hold_is_404(signed_in, row_id):
    assert signed_in.get(f"/moderation/threads/{row_id}").status_code == 404
    response = signed_in.post(f"/moderation/threads/{row_id}/review",
                              data={"csrf_token": token(signed_in)})
    assert response.status_code == 404


def test_a_comment_id_no_database_can_hold_is_404(signed_in, thread):
    response = signed_in.post(f"/moderation/threads/{thread}/comments/{HUGE}/correction",
                              data={"csrf_token": token(signed_in), "field": "act",
                                    "value": "listening"})
    assert response.status_code == 404


def _no_injected_header(response) -> None:
    assert "planted" not in str(response.headers.get_all("Set-Cookie"))
    assert "X-Injected" not in response.headers


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_sign_in_with_an_unsafe_next_goes_to_the_queue(app, moderator, target):
    client = app.test_client()
    response = sign_in(client, moderator, next_url=target)
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/"
    _no_injected_header(response)
    assert client.get("/moderation/").status_code == 200  # one clean, working session


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_language_switch_with_an_unsafe_next_goes_to_the_queue(app, target):
    client = app.test_client()
    response = client.post("/moderation/language", data={
        "csrf_token": csrf_of(client.get("/moderation/login")), "lang": "en", "next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/"
    _no_injected_header(response)


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_review_with_an_unsafe_next_is_done_once_and_goes_to_the_thread(app, signed_in, thread,
                                                                       target):
    response = signed_in.post(f"/moderation/threads/{thread}/review",
                              data={"csrf_token": token(signed_in), "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/moderation/threads/{thread}"
    _no_injected_header(response)
    assert thread_row(app, thread).review_state == "reviewed"
    assert len(audit(app, "moderation.review")) == 1


@pytest.mark.parametrize(("action", "data"), [
    ("escalate", {"note": "see this"}),
    ("flags/self_promotion/dismiss", {"reason": "a partner"}),
])
def test_other_actions_with_an_unsafe_next_go_to_the_thread(signed_in, thread, action, data):
    response = signed_in.post(f"/moderation/threads/{thread}/{action}",
                              data={"csrf_token": token(signed_in), "next": UNSAFE_NEXT[0],
                                    **data})
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/moderation/threads/{thread}")
    _no_injected_header(response)
