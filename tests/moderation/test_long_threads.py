"""The thread page of a long thread: a page of comments at a time, all in reply order or
only those carrying a flag's evidence, and no error for any page or filter value."""

from __future__ import annotations

import re

import pytest

from tests.moderation.helpers import store_thread

ITEM_RE = re.compile(r'<li class="comment depth-\d+ item[^"]*" id="comment-(\d+)"')
TEXT_RE = re.compile(r'data-testid="comment-text">([^<]*)<')


@pytest.fixture
def long_thread(app, platform):
    """120 comments: every 4th self-promotion (and broadcast), every 3rd of the others a
    broadcast; each odd one replies to the one before it."""
    comments, acts = [], {}
    for i in range(120):
        comment = {"id": f"c{i}", "author": f"u{i % 7}", "text": f"texte {i}"}
        if i % 2:
            comment["reply_to"] = f"c{i - 1}"
        comments.append(comment)
        acts[f"c{i}"] = "promo" if i % 4 == 3 else "broadcast" if i % 3 == 0 else "listening"
    return store_thread(app, platform, "long", comments=comments, acts=acts,
                        flags=["self_promotion"])


def _texts(response) -> list[str]:
    assert response.status_code == 200
    return TEXT_RE.findall(response.get_data(as_text=True))


def test_the_first_page_holds_fifty_comments_in_reply_order(signed_in, long_thread):
    html = signed_in.get(f"/moderation/threads/{long_thread}").get_data(as_text=True)
    texts = TEXT_RE.findall(html)
    assert texts == [f"texte {i}" for i in range(50)]  # each reply follows its parent
    assert "1–50 sur 120 · page 1 sur 3" in html
    assert f'href="/moderation/threads/{long_thread}?page=2" rel="next"' not in html
    assert f'rel="next" href="/moderation/threads/{long_thread}?page=2"' in html
    assert 'rel="prev"' not in html


def test_the_last_page_and_a_page_past_the_end(signed_in, long_thread):
    last = _texts(signed_in.get(f"/moderation/threads/{long_thread}?page=3"))
    assert last == [f"texte {i}" for i in range(100, 120)]
    assert _texts(signed_in.get(f"/moderation/threads/{long_thread}?page=99")) == last


def test_only_the_comments_of_a_flag(signed_in, long_thread):
    response = signed_in.get(f"/moderation/threads/{long_thread}?comments=self_promotion")
    texts = _texts(response)
    assert texts == [f"texte {i}" for i in range(3, 120, 4)]
    html = response.get_data(as_text=True)
    assert "Commentaires « Autopromotion », dans l'ordre de publication" in html
    counts = dict(re.findall(r'data-show="(\w+)">[^<]*<span class="n">(\d+)</span>', html))
    # "flagged": the evidence of the thread's one flag (self-promotion); "dominant": u0,
    # who wrote every 7th comment (18 of 120); no question was left unanswered
    assert counts == {"all": "120", "flagged": "30", "self_promotion": "30",
                      "broadcast": "60", "dominant": "18"}
    broadcasts = _texts(signed_in.get(f"/moderation/threads/{long_thread}?comments=broadcast"))
    # the test analyzer labels a self-promotion comment a broadcast too; 50 a page
    assert broadcasts == [f"texte {i}" for i in range(120) if i % 4 == 3 or i % 3 == 0][:50]


def test_a_correction_moves_a_comment_between_filters_and_comes_back_to_its_page(
        app, signed_in, long_thread):
    from tests.moderation.helpers import token

    page = signed_in.get(f"/moderation/threads/{long_thread}?comments=self_promotion")
    row_id = ITEM_RE.findall(page.get_data(as_text=True))[0]  # comment c3
    here = f"/moderation/threads/{long_thread}?comments=self_promotion"
    response = signed_in.post(f"/moderation/threads/{long_thread}/comments/{row_id}/correction",
                              data={"csrf_token": token(signed_in), "field": "promotion",
                                    "value": "dialogue", "next": f"{here}#comment-{row_id}"})
    assert response.headers["Location"] == f"{here}#comment-{row_id}"
    texts = _texts(signed_in.get(here))
    assert "texte 3" not in texts and len(texts) == 29


@pytest.mark.parametrize("query", [
    "page=0", "page=-1", "page=abc", "page=1.5", "page=" + "9" * 5000, "page=%EF%BC%92",
    "comments=spam", "comments=", "comments=self_promotion&page=x", "page=", "page=%00",
])
def test_bad_page_or_filter_values_show_a_page_and_say_why(signed_in, long_thread, query):
    response = signed_in.get(f"/moderation/threads/{long_thread}?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert TEXT_RE.findall(html)  # a page of comments is shown
    if query.startswith("page=" + "9") or query == "comments=":
        return
    assert 'class="flash flash-error"' in html


def test_a_short_thread_has_no_pager(signed_in, app, platform):
    thread_id = store_thread(app, platform, "short")
    html = signed_in.get(f"/moderation/threads/{thread_id}").get_data(as_text=True)
    assert 'class="pager comment-pager"' not in html and len(TEXT_RE.findall(html)) == 2
