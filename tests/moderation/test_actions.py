"""Moderators' actions: each changes the state and writes who and when in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.store import reading
from service.store.models import Comment, Correction
from tests.moderation.helpers import audit, flags_of, post_form, store_thread, thread_row


@pytest.fixture
def thread(app, platform):
    return store_thread(app, platform, "t1", flags=["self_promotion", "dominated"],
                        acts={"c1": "listening", "c2": "promo"})


def _comments(app, thread_id) -> dict[str, Comment]:
    with app.app_context(), reading() as session:
        return {c.external_id: c for c in session.scalars(
            select(Comment).where(Comment.thread_id == thread_id))}


def _corrections(app) -> list[Correction]:
    with app.app_context(), reading() as session:
        return list(session.scalars(select(Correction).order_by(Correction.id)))


def test_mark_reviewed(app, signed_in, moderator, thread):
    response = post_form(signed_in, f"/moderation/threads/{thread}/review")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/moderation/threads/{thread}"
    assert thread_row(app, thread).review_state == "reviewed"
    assert {n: f.state for n, f in flags_of(app, thread).items()} == {
        "self_promotion": "reviewed", "dominated": "reviewed"}
    [entry] = audit(app, "moderation.review")
    assert entry.actor == f"moderator:{moderator}" and entry.target == "t1"
    assert entry.at is not None and entry.platform_id == thread_row(app, thread).platform_id
    assert sorted(entry.detail["flags"]) == ["dominated", "self_promotion"]
    assert "Fil marqué comme traité." in signed_in.get(
        response.headers["Location"]).get_data(as_text=True)


def test_escalate_with_a_note(app, signed_in, moderator, thread):
    post_form(signed_in, f"/moderation/threads/{thread}/escalate", note="Menaces, voir juridique")
    assert thread_row(app, thread).review_state == "escalated"
    assert {f.state for f in flags_of(app, thread).values()} == {"escalated"}
    [entry] = audit(app, "moderation.escalate")
    assert entry.detail["note"] == "Menaces, voir juridique"
    assert entry.actor == f"moderator:{moderator}"


def test_dismiss_a_flag_with_a_reason(app, signed_in, thread):
    response = post_form(signed_in, f"/moderation/threads/{thread}/flags/dominated/dismiss",
                     reason="L'hôte répond aux questions, c'est voulu")
    assert response.headers["Location"] == f"/moderation/threads/{thread}#flags"
    flags = flags_of(app, thread)
    assert flags["dominated"].state == "dismissed"
    assert flags["dominated"].note == "L'hôte répond aux questions, c'est voulu"
    assert flags["self_promotion"].state == "open"
    assert thread_row(app, thread).review_state == "open"  # one flag still open
    [entry] = audit(app, "moderation.dismiss_flag")
    assert entry.detail["flag"] == "dominated" and entry.detail["reason"].startswith("L'hôte")
    post_form(signed_in, f"/moderation/threads/{thread}/flags/self_promotion/dismiss",
          reason="Lien demandé par un participant")
    assert thread_row(app, thread).review_state == "dismissed"


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_dismissing_needs_a_reason(app, signed_in, thread, reason):
    response = post_form(signed_in, f"/moderation/threads/{thread}/flags/dominated/dismiss",
                     reason=reason)
    assert response.status_code == 303
    assert flags_of(app, thread)["dominated"].state == "open"
    assert audit(app, "moderation.dismiss_flag") == []
    assert "Indiquez une raison" in signed_in.get(
        response.headers["Location"]).get_data(as_text=True)


def test_dismissing_a_flag_the_thread_does_not_have(app, signed_in, thread):
    post_form(signed_in, f"/moderation/threads/{thread}/flags/no_dialogue/dismiss", reason="x")
    assert audit(app, "moderation.dismiss_flag") == []


def test_correct_a_comments_act_then_its_promotion(app, signed_in, moderator, thread):
    comments = _comments(app, thread)
    url = f"/moderation/threads/{thread}/comments/{comments['c2'].id}/correction"
    response = post_form(signed_in, url, field="act", value="contribution")
    assert response.headers["Location"].endswith(f"#comment-{comments['c2'].id}")
    post_form(signed_in, url, field="promotion", value="dialogue")
    first, second = _corrections(app)
    assert (first.field, first.old_value, first.new_value) == ("act", "broadcast",
                                                                "contribution")
    assert (second.field, second.old_value, second.new_value) == ("promotion",
                                                                   "self_promotion", "dialogue")
    assert first.text == comments["c2"].text and first.author == "bob"
    assert first.thread_external_id == "t1" and first.comment_external_id == "c2"
    assert first.model_version == "test-model" and first.language == "fr"
    assert first.predicted == {"act": "broadcast", "promotion": "self_promotion",
                               "language": "fr"}
    assert [e.detail for e in audit(app, "moderation.correct")] == [
        {"comment": "c2", "field": "act", "old": "broadcast", "new": "contribution"},
        {"comment": "c2", "field": "promotion", "old": "self_promotion", "new": "dialogue"}]
    assert {e.actor for e in audit(app, "moderation.correct")} == {f"moderator:{moderator}"}
    html = signed_in.get(f"/moderation/threads/{thread}").get_data(as_text=True)
    assert f"corrigé par {moderator} ; modèle : Diffusion" in html
    # the stored prediction stays the model's: a correction teaches, it does not overwrite
    assert _comments(app, thread)["c2"].prediction["act"]["label"] == "broadcast"


def test_a_second_correction_starts_from_the_first(app, signed_in, thread):
    comment = _comments(app, thread)["c1"]
    url = f"/moderation/threads/{thread}/comments/{comment.id}/correction"
    post_form(signed_in, url, field="act", value="contribution")
    post_form(signed_in, url, field="act", value="broadcast")
    assert [(c.old_value, c.new_value) for c in _corrections(app)] == [
        ("listening", "contribution"), ("contribution", "broadcast")]


@pytest.mark.parametrize(("field", "value"), [("act", "listening"), ("act", "spam"),
                                              ("promotion", "listening"), ("health", "5"),
                                              ("", "")])
def test_no_correction_for_the_same_or_an_unknown_label(app, signed_in, thread, field, value):
    comment = _comments(app, thread)["c1"]  # the model said listening / dialogue
    response = post_form(signed_in, f"/moderation/threads/{thread}/comments/{comment.id}"
                                "/correction", field=field, value=value)
    assert response.status_code == 303
    assert _corrections(app) == [] and audit(app, "moderation.correct") == []


def test_a_new_flag_after_review_reopens_the_thread(app, signed_in, platform, thread):
    post_form(signed_in, f"/moderation/threads/{thread}/review")
    store_thread(app, platform, "t1", flags=["self_promotion", "dominated", "no_dialogue"],
                 comments=[{"id": "c1", "author": "ana", "text": "Bonjour, qui a testé ?"},
                           {"id": "c2", "author": "bob", "text": "Moi, ça marche.",
                            "reply_to": "c1"},
                           {"id": "c3", "author": "bob", "text": "Et encore moi."}])
    assert thread_row(app, thread).review_state == "open"
    assert flags_of(app, thread)["no_dialogue"].state == "open"


def test_get_is_not_allowed_on_actions(signed_in, thread):
    assert signed_in.get(f"/moderation/threads/{thread}/review").status_code == 405
