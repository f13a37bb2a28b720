"""The state machine on the write path, on SQLite and PostgreSQL: a moderator's decision
holds or reopens as the platform keeps writing, and every move is in the audit log."""

from __future__ import annotations

import html
import uuid

import pytest
from sqlalchemy import select

from service.store import reading
from service.store.models import AuditEntry, Thread
from service.store.threads import find_thread
from tests.helpers import corpus_thread, new_key
from tests.moderation.helpers import (
    append_to_thread,
    fixed_analyzer,
    flags_of,
    moderator_client,
    post_form,
    store_thread,
    thread_row,
)

SPAM = ["Check out my channel!! Subscribe, link in bio, giveaway for followers!!",
        "Best prices on my store, DM me for a discount code, link in my profile!",
        "Follow my page for daily deals, use my promo code SAVE20 at checkout!!"]


def _log(app, platform_id: int, target: str) -> list[AuditEntry]:
    with app.app_context(), reading() as session:
        return list(session.scalars(select(AuditEntry).where(
            AuditEntry.platform_id == platform_id, AuditEntry.target == target)
            .order_by(AuditEntry.id)))


def _post(client, url: str, **data):
    response = post_form(client, url, **data)
    assert response.status_code == 303
    return response


def test_an_escalation_holds_when_the_platform_appends_spam(db_app):
    """Issue 17: escalate, then the platform appends spam through the API."""
    platform = f"esc-{uuid.uuid4().hex[:8]}"
    _, headers = new_key(db_app, platform)
    api = db_app.test_client()
    stored = api.put("/v1/threads/esc?lang=en", json=corpus_thread(31), headers=headers)
    assert stored.status_code == 201
    assert stored.get_json()["health"]["flags"] == ["dominated"]
    with db_app.app_context(), reading() as session:
        row = session.scalar(select(Thread).where(Thread.external_id == "esc",
                                                  Thread.platform.has(name=platform)))
        thread_id, platform_id = row.id, row.platform_id
    moderator = moderator_client(db_app, platform)
    _post(moderator, f"/moderation/threads/{thread_id}/escalate", note="harcèlement ?")

    spam = [{"id": f"s{i}", "author": f"shop{i}", "text": text} for i, text in enumerate(SPAM)]
    appended = api.post("/v1/threads/esc/comments?lang=en", json={"comments": spam},
                        headers=headers)
    assert appended.status_code == 200
    assert "self_promotion" in appended.get_json()["health"]["flags"]

    assert thread_row(db_app, thread_id).review_state == "escalated"
    flags = flags_of(db_app, thread_id)
    assert (flags["self_promotion"].state, flags["self_promotion"].active) == ("open", True)
    assert flags["dominated"].state == "escalated"
    log = _log(db_app, platform_id, "esc")
    by_platform = [e for e in log if e.actor == f"platform:{platform}"]
    raised = [e for e in by_platform if e.action == "moderation.flag_raised"]
    assert raised[-1].detail["flags"] == ["self_promotion"]
    assert raised[-1].detail["thread"] == "escalated"
    assert [e.action for e in log if e.actor.startswith("moderator:")] == ["moderation.escalate"]
    assert not [e for e in log if e.action == "moderation.reopen"]
    listed = moderator.get("/moderation/?state=escalated").get_data(as_text=True)
    assert f"/moderation/threads/{thread_id}\"" in listed
    page = moderator.get(f"/moderation/threads/{thread_id}").get_data(as_text=True)
    assert "signalement levé" in page and f"platform:{platform}" in page


def test_a_dismissed_flag_reopens_when_the_thread_gets_worse(db_app):
    """Issue 17: dismissed flag, then unanswered questions 1 -> 4 and score 63 -> 51."""
    platform = f"dis-{uuid.uuid4().hex[:8]}"
    thread_id = store_thread(db_app, platform, "q", flags=["unanswered_questions"], score=63,
                             level="healthy", reasons=["1 question got no reply"])
    moderator = moderator_client(db_app, platform)
    _post(moderator, f"/moderation/threads/{thread_id}/flags/unanswered_questions/dismiss",
          reason="Une seule question, posée pour la forme")
    assert thread_row(db_app, thread_id).review_state == "dismissed"

    worse = fixed_analyzer(["unanswered_questions"], 51, "at_risk",
                           reasons=["4 questions got no reply"])
    append_to_thread(db_app, platform, "q", [
        {"id": f"n{i}", "author": f"u{i}", "text": f"Et pour la question {i} ?"}
        for i in range(3)], worse)

    row = thread_row(db_app, thread_id)
    assert row.review_state == "open"
    assert row.review_reason == {"actor": f"platform:{platform}", "reasons": [
        {"code": "worse_level", "from": "healthy", "to": "at_risk"},
        {"code": "score_drop", "from": 63, "to": 51, "step": 10}]}
    flag = flags_of(db_app, thread_id)["unanswered_questions"]
    assert (flag.state, flag.active, flag.note) == ("open", True, None)
    [reopen] = [e for e in _log(db_app, row.platform_id, "q")
                if e.action == "moderation.reopen"]
    assert reopen.actor == f"platform:{platform}" and reopen.detail["previous"] == "dismissed"
    assert reopen.detail["dismissal_notes"] == {
        "unanswered_questions": "Une seule question, posée pour la forme"}

    page = html.unescape(moderator.get(f"/moderation/threads/{thread_id}").get_data(as_text=True))
    assert "4 questions got no reply" in page and "1 question got no reply" not in page
    assert "niveau Sain → À risque" in page
    assert "score 63 → 51 (baisse d'au moins 10 points" in page
    assert "Raison : " not in page  # the stale dismissal reason is gone from the flag
    queue = moderator.get("/moderation/").get_data(as_text=True)  # default: to review
    assert f"/moderation/threads/{thread_id}\"" in queue


def test_a_moderators_decision_holds_while_the_thread_does_not_get_worse(db_app):
    platform = f"hold-{uuid.uuid4().hex[:8]}"
    thread_id = store_thread(db_app, platform, "h", flags=["dominated"], score=40,
                             level="at_risk")
    moderator = moderator_client(db_app, platform)
    _post(moderator, f"/moderation/threads/{thread_id}/review")
    for i, score in enumerate((44, 35, 31)):  # 9 points under the decision at most
        append_to_thread(db_app, platform, "h", [{"id": f"k{i}", "author": "zoe",
                                                  "text": "Encore un mot."}],
                         fixed_analyzer(["dominated"], score, "at_risk"))
        assert thread_row(db_app, thread_id).review_state == "reviewed"
    append_to_thread(db_app, platform, "h", [{"id": "k9", "author": "zoe", "text": "Fin."}],
                     fixed_analyzer(["dominated"], 30, "at_risk"))
    assert thread_row(db_app, thread_id).review_state == "open"


@pytest.mark.parametrize("step", [5, 20])
def test_the_score_step_is_read_from_the_configuration(tmp_path, step):
    from tests.moderation.helpers import make_app

    app = make_app(tmp_path, MODERATION_REOPEN_SCORE_DROP=step)
    platform = "cfg"
    thread_id = store_thread(app, platform, "c", flags=["dominated"], score=50,
                             level="at_risk")
    with app.app_context():
        from service.services.moderation_state import mark_reviewed
        from service.store import transaction

        with transaction() as session:
            mark_reviewed(session, session.get(Thread, thread_id), "moderator:m")
    append_to_thread(app, platform, "c", [{"id": "z", "author": "a", "text": "Hum."}],
                     fixed_analyzer(["dominated"], 40, "at_risk"))
    assert thread_row(app, thread_id).review_state == ("open" if step == 5 else "reviewed")


@pytest.mark.parametrize("value", ["0", "ten", "101"])
def test_a_bad_step_stops_the_start_naming_the_setting(tmp_path, value):
    from service.config import ConfigError
    from tests.moderation.helpers import make_app

    with pytest.raises(ConfigError, match="moderation_reopen_score_drop"):
        make_app(tmp_path, MODERATION_REOPEN_SCORE_DROP=value)


def test_the_first_analysis_logs_the_flags_it_raises(app, platform):
    thread_id = store_thread(app, platform, "new", flags=["dominated", "no_dialogue"])
    with app.app_context(), reading() as session:
        thread = find_thread(session, thread_row(app, thread_id).platform_id, "new")
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.target == "new"))
        assert thread.review_reason is None
    assert (entry.actor, entry.action) == (f"platform:{platform}", "moderation.flag_raised")
    assert entry.detail["flags"] == ["dominated", "no_dialogue"]


def test_reasons_are_shown_in_the_readers_language(db_app):
    """Issue 17: a thread analysed with French reasons reads in English in the English UI
    (its stored reason codes are rendered), and in French in the French one."""
    platform = f"lang-{uuid.uuid4().hex[:8]}"
    _, headers = new_key(db_app, platform)
    comments = [{"id": f"s{i}", "author": f"shop{i}", "text": text}
                for i, text in enumerate(SPAM)]
    stored = db_app.test_client().put("/v1/threads/rs?lang=fr", json={"comments": comments},
                                      headers=headers)
    assert stored.status_code == 201
    codes = stored.get_json()["health"]["reason_codes"]
    assert codes and stored.get_json()["health"]["reasons"][0].startswith("3 commentaires")
    with db_app.app_context(), reading() as session:
        thread_id = session.scalar(select(Thread.id).where(
            Thread.external_id == "rs", Thread.platform.has(name=platform)))
    moderator = moderator_client(db_app, platform)
    french = html.unescape(moderator.get(f"/moderation/threads/{thread_id}")
                           .get_data(as_text=True))
    assert "3 commentaires" in french and "3 comments" not in french
    _post(moderator, "/moderation/language", lang="en",
          next=f"/moderation/threads/{thread_id}")
    english = html.unescape(moderator.get(f"/moderation/threads/{thread_id}")
                            .get_data(as_text=True))
    assert "3 comments advertise" in english and "3 commentaires" not in english
    assert "stored in the language of the analysis" not in english
