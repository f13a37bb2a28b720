"""Reasons that point at comments: the evidence of each flag, the dominant participant,
the reasons' links and the markers in the thread."""

from __future__ import annotations

import re
from types import SimpleNamespace

from sqlalchemy import select, update

from service.moderation.evidence import dominant_author, evidence, marks
from service.store import transaction
from service.store.models import Analysis, Comment
from service.store.moderation import CommentLine
from tests.moderation.helpers import store_thread


def _line(n: int, author: str, act: str = "contribution", promotion: str = "dialogue"):
    return CommentLine(n, f"c{n}", None, author, act, promotion)


def test_each_choice_lists_the_comments_behind_its_flag():
    outline = [_line(0, "ana", "listening"), _line(1, "bob", "broadcast", "self_promotion"),
               _line(2, "bob", "broadcast"), _line(3, "ana"), _line(4, "eve")]
    corrected = {"c2": {"act": SimpleNamespace(new_value="listening")}}  # a moderator's fix
    found = evidence(outline, corrected, {3}, ["self_promotion", "unanswered_questions"])
    ids = {name: [line.external_id for line in lines] for name, lines in found.items()}
    assert ids == {"self_promotion": ["c1"], "broadcast": ["c1"], "unanswered": ["c3"],
                   "dominant": ["c0", "c3"],        # ana and bob wrote 2: the first wins
                   "flagged": ["c1", "c3"]}         # only the thread's active flags
    assert marks(found, ["self_promotion", "unanswered_questions"]) == {
        "c1": ["self_promotion"], "c3": ["unanswered"]}
    assert dominant_author(outline) == ("ana", 2) and dominant_author([]) is None


def test_reasons_link_to_their_first_comment_which_the_page_marks(app, signed_in, platform):
    comments = [{"id": "c1", "author": "ana", "text": "Une question ?"},
                {"id": "c2", "author": "bob", "text": "Ma boutique !", "reply_to": "c1"},
                {"id": "c3", "author": "bob", "text": "Encore ma boutique !"}]
    tid = store_thread(app, platform, "t", flags=["self_promotion", "dominated"],
                       comments=comments, acts={"c1": "listening", "c2": "promo",
                                                "c3": "promo"})
    with app.app_context(), transaction() as session:
        latest = session.scalar(select(Analysis).where(Analysis.thread_id == tid))
        health = {**latest.health, "reason_codes": [{"code": "self_promotion", "n": 2},
                                                    {"code": "dominated", "pct": 67}]}
        session.execute(update(Analysis).where(Analysis.id == latest.id).values(health=health))
        rows = dict(session.execute(select(Comment.external_id, Comment.id)
                                    .where(Comment.thread_id == tid)).all())
    html = signed_in.get(f"/moderation/threads/{tid}").get_data(as_text=True)
    links = re.findall(r'href="([^"]+)" data-reason-link', html)
    assert links == [f"/moderation/threads/{tid}?comments=self_promotion#comment-{rows['c2']}",
                     f"/moderation/threads/{tid}?comments=dominant#comment-{rows['c2']}"]
    assert "Participant dominant : \u2068bob\u2069 (2 commentaires)" in html
    marked = re.findall(r'class="comment [^"]*is-evidence" id="comment-(\d+)"', html)
    assert marked == [str(rows["c2"]), str(rows["c3"])]
    flagged = signed_in.get(f"/moderation/threads/{tid}?comments=flagged").get_data(as_text=True)
    assert re.findall(r'id="comment-(\d+)"', flagged) == [str(rows["c2"]), str(rows["c3"])]
