"""A thread's page: reply order, labels with text, escaping, charts, history."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from service.moderation.charts import component_bars, score_line
from service.moderation.thread_view import reply_order, safe_href
from tests.moderation.helpers import inline_code, store_thread

XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
       '<a href="javascript:alert(1)">clic</a> javascript:alert(1)']


def _c(cid, reply_to=None):
    return SimpleNamespace(external_id=cid, reply_to=reply_to)


def test_reply_order_is_depth_first_with_siblings_in_posting_order():
    comments = [_c("a"), _c("b"), _c("c", "a"), _c("d", "b"), _c("e", "c"), _c("f", "a"),
                _c("g", "zz"), _c("h", "h")]
    order = [(c.external_id, depth) for c, depth in reply_order(comments)]
    assert order == [("a", 0), ("c", 1), ("e", 2), ("f", 1), ("b", 0), ("d", 1), ("g", 0),
                     ("h", 0)]


@pytest.mark.parametrize(("url", "href"), [
    ("https://forum.example/t/1", "https://forum.example/t/1"),
    ("HTTP://x.example", "HTTP://x.example"),
    ("javascript:alert(1)", None), (" JavaScript:alert(1)", None),
    ("data:text/html,<script>", None), ("//evil.example", None), (None, None),
])
def test_only_http_links_are_links(url, href):
    assert safe_href(url) == href


def test_component_bars_and_score_line_geometry():
    bars = component_bars({"self_promotion": 0.5, "reciprocity": 1.2, "balance": 0.25})
    assert [r["name"] for r in bars["rows"]] == ["reciprocity", "balance", "self_promotion"]
    assert [r["width"] for r in bars["rows"]] == [130, 32.5, 65]
    assert [r["worse"] for r in bars["rows"]] == [False, False, True]
    from datetime import UTC, datetime

    history = [SimpleNamespace(score=s, level="at_risk", comment_count=3,
                               analysed_at=datetime(2026, 11, d, 10, tzinfo=UTC))
               for s, d in ((100, 1), (0, 2), (50, 3))]
    line = score_line(history)
    assert [(p["x"], p["y"]) for p in line["points"]] == [(34, 10), (191, 124), (348, 67)]
    assert line["ends"] == ["2026-11-01", "2026-11-03"]
    assert score_line(history[:1])["points"][0]["x"] == 191


@pytest.fixture
def page(app, signed_in, platform):
    comments = [{"id": "c1", "author": "ana", "text": XSS[0]},
                {"id": "c2", "author": "bob", "text": XSS[1], "reply_to": "c1"},
                {"id": "c3", "author": "eve", "text": XSS[2]},
                {"id": "c4", "author": "zoe", "text": "Merci Bob !", "reply_to": "c2"}]
    thread = {"comments": comments, "url": "javascript:alert(1)", "flags": ["self_promotion"],
              "title": "<script>alert('t')</script>",
              "acts": {"c1": "listening", "c2": "promo", "c3": "contribution"}}
    tid = store_thread(app, platform, "xss", **thread)
    store_thread(app, platform, "xss", score=45, level="at_risk", **thread)  # analysed again
    response = signed_in.get(f"/moderation/threads/{tid}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_comment_text_is_always_escaped(page):
    body = page.split("<main", 1)[1]
    assert "<script>alert" not in body and "<img" not in body
    assert 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in page


def test_comments_come_in_reply_tree_order_with_depth(page):
    order = re.findall(r'class="comment depth-(\d) item[^"]*" id="comment-\d+"', page)
    authors = re.findall(r'<bdi class="author">([^<]+)</bdi>', page)
    assert authors == ["ana", "bob", "zoe", "eve"] and order == ["0", "1", "2", "0"]
    assert "en réponse à \u2068ana\u2069" in page and "en réponse à \u2068bob\u2069" in page


def test_each_comment_shows_its_act_in_words_and_colour_and_its_promotion(page):
    for act, text in (("listening", "Écoute"), ("contribution", "Contribution"),
                      ("broadcast", "Diffusion")):
        assert re.search(rf'class="badge act act-{act}">.*?{text}</span>', page)
    assert 'class="badge promo promo-self_promotion">Autopromotion<' in page
    assert "P(autopromotion) : 90\u00a0%" in page
    assert '<span class="cue" title="question">question</span>' in page


def test_health_flags_reasons_components_and_history(page):
    assert 'data-testid="health-score">45<' in page
    assert 'class="badge level level-at_risk">À risque<' in page
    assert "raison self_promotion" in page
    assert page.count('class="fill') == 6
    assert len(re.findall(r'<circle [^>]*class="point', page)) == 2
    assert "<polyline" in page
    assert "fil remplacé par la plateforme" in page  # the audit trail


def test_no_inline_script_style_or_handler_in_the_page(page):
    assert inline_code(page) == []


def test_a_label_suggested_by_a_client_says_so(app, platform, signed_in):
    """Perspective's suggestscore: a correction without a moderator is shown as the
    client's, not as an unknown moderator's."""
    from service.store import transaction
    from service.store.keys import get_or_create_platform
    from service.store.suggestions import perspective_ids, record_suggestion

    text = "Il me reste 2 places pour l'atelier de samedi"
    thread_id, comment_id = perspective_ids("ateliers", text)
    tid = store_thread(app, platform, thread_id,
                       comments=[{"id": comment_id, "author": "anonymous", "text": text}])
    with app.app_context(), transaction() as session:
        pid = get_or_create_platform(session, platform).id
        record_suggestion(session, pid, f"platform:{platform}", "ateliers", text,
                          {"promotion": "self_promotion"},
                          {"act": "broadcast", "promotion": "dialogue", "language": "fr"},
                          "test-model")
    page = signed_in.get(f"/moderation/threads/{tid}").get_data(as_text=True)
    assert re.search(r"corrigé par client|corrected by client", page)


RLO, PDI, FSI = "\u202e", "\u2069", "\u2068"  # right-to-left override; isolate marks


@pytest.fixture
def bidi_thread(app, platform):
    comments = [{"id": "c1", "author": f"{RLO}moc.evil", "text": f"{RLO}txt.exe gnp"},
                {"id": "c2", "author": "ana", "text": "مرحبا", "reply_to": "c1"}]
    return store_thread(app, platform, "rtl", title=f"{RLO}ecnaraelC", comments=comments)


def test_what_users_wrote_is_bidi_isolated_on_the_thread_page(signed_in, bidi_thread):
    page = signed_in.get(f"/moderation/threads/{bidi_thread}").get_data(as_text=True)
    assert f"<h1><bdi>{RLO}ecnaraelC</bdi></h1>" in page
    assert f"<title>{FSI}{RLO}ecnaraelC{PDI} · thread-health</title>" in page
    assert f'<bdi class="author">{RLO}moc.evil</bdi>' in page
    assert f"en réponse à {FSI}{RLO}moc.evil{PDI}" in page
    assert f'<p class="text" dir="auto" data-testid="comment-text">{RLO}txt.exe gnp</p>' in page
    assert inline_code(page) == []  # isolation by markup and CSS, no inline style


def test_titles_are_bidi_isolated_in_the_queue(signed_in, bidi_thread):
    page = signed_in.get("/moderation/").get_data(as_text=True)
    assert f"<bdi>{RLO}ecnaraelC</bdi></a>" in page
    assert f"{FSI}{RLO}ecnaraelC{PDI}" in page  # in the review button's label


def test_the_stylesheet_isolates_bdi_and_comment_texts():
    from service.config import PROJECT_ROOT

    css = (PROJECT_ROOT / "service" / "static" / "moderation.css").read_text(encoding="utf-8")
    assert re.search(r'\.text\[dir="auto"\], bdi \{ unicode-bidi: isolate; \}', css)
