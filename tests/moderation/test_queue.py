"""The queue: most urgent first, filters, counts per flag, pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from service.store import transaction
from service.store.models import Thread, utcnow
from tests.moderation.helpers import store_thread, token

ROW_RE = re.compile(r'data-thread-id="(\d+)"')


def _ids(response) -> list[int]:
    assert response.status_code == 200
    return [int(i) for i in ROW_RE.findall(response.get_data(as_text=True))]


@pytest.fixture
def threads(app, platform):
    """Five flagged threads and one healthy unflagged one, in the moderator's platform."""
    ids = {
        "worst": store_thread(app, platform, "worst", score=10, level="unhealthy",
                              flags=["self_promotion", "no_dialogue"]),
        "bad": store_thread(app, platform, "bad", score=25, level="unhealthy",
                            flags=["dominated"], language="en"),
        "risky": store_thread(app, platform, "risky", score=50, level="at_risk",
                              flags=["unanswered_questions"]),
        "risky2": store_thread(app, platform, "risky2", score=55, level="at_risk",
                               flags=["self_promotion"]),
        "fine": store_thread(app, platform, "fine", score=70, level="healthy",
                             flags=["unanswered_questions"]),
        "clean": store_thread(app, platform, "clean", score=90, level="healthy", flags=[]),
    }
    return ids


def test_flagged_threads_most_urgent_first(signed_in, threads):
    t = threads
    assert _ids(signed_in.get("/moderation/")) == [t["worst"], t["bad"], t["risky"],
                                                   t["risky2"], t["fine"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("flag=self_promotion", ["worst", "risky2"]),
    ("flag=dominated", ["bad"]),
    ("level=at_risk", ["risky", "risky2"]),
    ("language=en", ["bad"]),
    ("level=healthy&flag=unanswered_questions", ["fine"]),
    ("flag=not-a-flag", ["worst", "bad", "risky", "risky2", "fine"]),  # ignored
])
def test_filters(signed_in, threads, query, expected):
    assert _ids(signed_in.get(f"/moderation/?{query}")) == [threads[n] for n in expected]


def test_counts_per_flag_follow_the_other_filters(signed_in, threads):
    html = signed_in.get("/moderation/?flag=dominated").get_data(as_text=True)

    def count(flag):
        return int(re.search(rf'data-flag="{flag}">[^<]*<span class="n">(\d+)<', html).group(1))

    assert [count(f) for f in ("self_promotion", "dominated", "unanswered_questions",
                               "no_dialogue", "broadcast_heavy")] == [2, 1, 2, 1, 0]
    assert "Fils correspondants : 1" in html
    at_risk = signed_in.get("/moderation/?level=at_risk").get_data(as_text=True)
    assert re.search(r'data-flag="dominated">[^<]*<span class="n">0<', at_risk)


def test_the_review_state_filter_defaults_to_open(app, signed_in, threads):
    response = signed_in.post(f"/moderation/threads/{threads['worst']}/review",
                              data={"csrf_token": token(signed_in), "next": "/moderation/"})
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/"
    assert threads["worst"] not in _ids(signed_in.get("/moderation/"))
    assert _ids(signed_in.get("/moderation/?state=reviewed")) == [threads["worst"]]
    assert threads["worst"] in _ids(signed_in.get("/moderation/?state=all"))


def test_date_filter_on_the_last_update(app, signed_in, threads):
    old = utcnow() - timedelta(days=10)
    with app.app_context(), transaction() as session:
        session.get(Thread, threads["bad"]).updated_at = old
    day = old.date().isoformat()
    assert _ids(signed_in.get(f"/moderation/?from={day}&to={day}")) == [threads["bad"]]
    after = (old + timedelta(days=1)).date().isoformat()
    assert threads["bad"] not in _ids(signed_in.get(f"/moderation/?from={after}"))
    response = signed_in.get("/moderation/?from=22/11/2026")
    assert "Date ignorée" in response.get_data(as_text=True)
    assert len(_ids(response)) == 5


def test_pages_follow_the_cursor_and_keep_the_filters(app, signed_in, threads):
    app.config["MODERATION_PAGE_SIZE"] = 2
    first = signed_in.get("/moderation/?flag=unanswered_questions&state=all")
    html = first.get_data(as_text=True)
    assert _ids(first) == [threads["risky"], threads["fine"]]
    assert 'rel="next"' not in html
    page = signed_in.get("/moderation/")
    assert _ids(page) == [threads["worst"], threads["bad"]]
    next_url = re.search(r'rel="next" href="([^"]+)"', page.get_data(as_text=True)).group(1)
    second = signed_in.get(next_url.replace("&amp;", "&"))
    assert _ids(second) == [threads["risky"], threads["risky2"]]
    assert "3–4 sur 5" in second.get_data(as_text=True)
    third = signed_in.get(_link(second, "next"))
    assert _ids(third) == [threads["fine"]] and 'rel="next"' not in third.get_data(as_text=True)
    assert "5–5 sur 5" in third.get_data(as_text=True)
    back = signed_in.get(_link(third, "prev"))
    assert _ids(back) == [threads["risky"], threads["risky2"]]
    start = signed_in.get(_link(back, "prev"))
    assert _ids(start) == [threads["worst"], threads["bad"]]
    assert "1–2 sur 5" in start.get_data(as_text=True)
    assert 'rel="prev"' not in start.get_data(as_text=True)


def _link(response, rel: str) -> str:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', response.get_data(as_text=True))
    assert found, f"no {rel} link"
    return found.group(1).replace("&amp;", "&")


def test_a_bad_cursor_shows_the_first_page(signed_in, threads):
    assert _ids(signed_in.get("/moderation/?cursor=garbage"))[0] == threads["worst"]


def test_an_empty_queue_says_so(signed_in):
    html = signed_in.get("/moderation/").get_data(as_text=True)
    assert "rien à traiter" in html


def test_titles_and_ids_are_escaped_in_the_queue(app, signed_in, platform):
    store_thread(app, platform, "<b>id</b>", title="<script>alert(1)</script>")
    html = signed_in.get("/moderation/").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<b>id</b>" not in html
