"""The moderator tools of issue 21 without a browser: bulk actions, assignment and
"assigned to me", notes, undo, reopen, the new-activity marker; each with its bad inputs."""

from __future__ import annotations

import re

import pytest

from tests.moderation.helpers import (
    add_moderator,
    append_to_thread,
    audit,
    fixed_analyzer,
    flags_of,
    moderator_client,
    post_form,
    store_thread,
    thread_row,
)

ROW_RE = re.compile(r'data-thread-id="(\d+)"')


@pytest.fixture
def three(app, platform):
    return [store_thread(app, platform, f"t{i}", score=10 + i,
                         flags=["self_promotion", "dominated"]) for i in range(3)]


def flashes(client, path: str = "/moderation/?state=all") -> str:
    return client.get(path).get_data(as_text=True)


def test_bulk_review_of_three_threads(app, signed_in, three):
    response = post_form(signed_in, "/moderation/bulk", action="review",
                    thread=[str(t) for t in three], next="/moderation/")
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/"
    assert [thread_row(app, t).review_state for t in three] == ["reviewed"] * 3
    assert len(audit(app, "moderation.review")) == 3
    assert "Marqués traités : 3 fils." in flashes(signed_in)


def test_bulk_dismiss_escalate_and_assign(app, signed_in, three, moderator):
    ids = [str(t) for t in three]
    post_form(signed_in, "/moderation/bulk", action="dismiss", thread=ids[:2],
         flag="dominated", reason="un seul auteur, c'est normal ici")
    assert [flags_of(app, t)["dominated"].state for t in three] == ["dismissed", "dismissed",
                                                                    "open"]
    post_form(signed_in, "/moderation/bulk", action="escalate", thread=ids[2:], note="à voir")
    assert thread_row(app, three[2]).review_state == "escalated"
    post_form(signed_in, "/moderation/bulk", action="assign", thread=ids[1:], assignee=moderator)
    mine = signed_in.get("/moderation/?state=all&assigned=me").get_data(as_text=True)
    assert sorted(int(i) for i in ROW_RE.findall(mine)) == sorted(three[1:])
    nobody = signed_in.get("/moderation/?state=all&assigned=none").get_data(as_text=True)
    assert [int(i) for i in ROW_RE.findall(nobody)] == [three[0]]


LONG = "x" * 1001


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Action inconnue"),
    ({"action": "delete"}, "Action inconnue"),
    ({"action": "review"}, "Sélectionnez au moins un fil"),
    ({"action": "review", "thread": ["abc"]}, "identifiants de fil valides"),
    ({"action": "review", "thread": ["0"]}, "identifiants de fil valides"),
    ({"action": "review", "thread": ["-3"]}, "identifiants de fil valides"),
    ({"action": "review", "thread": [str(2**63)]}, "identifiants de fil valides"),
    ({"action": "review", "thread": ["٣"]}, "identifiants de fil valides"),  # not ASCII
    ({"action": "review", "thread": [str(n) for n in range(1, 102)]},
     "identifiants de fil valides"),
    ({"action": "dismiss", "THREADS": True, "reason": "r"}, "Choisissez le signalement"),
    ({"action": "dismiss", "THREADS": True, "flag": "spam", "reason": "r"},
     "Choisissez le signalement"),
    ({"action": "dismiss", "THREADS": True, "flag": "dominated"}, "Indiquez une raison"),
    ({"action": "dismiss", "THREADS": True, "flag": "dominated", "reason": "   "},
     "Indiquez une raison"),
    ({"action": "dismiss", "THREADS": True, "flag": "dominated", "reason": LONG},
     "Indiquez une raison"),
    ({"action": "escalate", "THREADS": True, "note": LONG}, "1 000 caractères au plus"),
])
def test_bulk_bad_inputs_change_nothing_and_say_why(app, signed_in, three, data, message):
    if data.pop("THREADS", False):
        data["thread"] = [str(t) for t in three]
    response = post_form(signed_in, "/moderation/bulk", **data)
    assert response.status_code == 303
    assert message in flashes(signed_in)
    assert [thread_row(app, t).review_state for t in three] == ["open"] * 3
    assert {f.state for t in three for f in flags_of(app, t).values()} == {"open"}


def test_bulk_leaves_threads_out_of_scope_and_unknown_assignees(app, signed_in, three):
    other = store_thread(app, "elsewhere", "x")
    post_form(signed_in, "/moderation/bulk", action="review", thread=[str(three[0]), str(other)])
    assert thread_row(app, other).review_state == "open"
    assert "1 fil est resté tel quel" in flashes(signed_in)
    stranger = add_moderator(app, ["elsewhere"])
    post_form(signed_in, "/moderation/bulk", action="assign", thread=[str(three[1])],
         assignee=stranger)  # cannot moderate this platform
    assert "1 fil est resté tel quel" in flashes(signed_in)
    assert audit(app, "moderation.assign") == []


def test_bulk_needs_the_csrf_token(app, signed_in, three):
    response = signed_in.post("/moderation/bulk", data={"action": "review",
                                                        "thread": [str(three[0])]})
    assert response.status_code == 400
    assert thread_row(app, three[0]).review_state == "open"


def test_assign_to_me_a_colleague_and_nobody(app, signed_in, three, moderator, platform):
    url = f"/moderation/threads/{three[0]}"
    colleague = add_moderator(app, [platform])
    post_form(signed_in, f"{url}/assign", assignee=moderator)
    assert f"Attribué à \u2068{moderator}\u2069" in signed_in.get(url).get_data(as_text=True)
    post_form(signed_in, f"{url}/assign", assignee=colleague)
    assert f"Attribué à \u2068{colleague}\u2069" in signed_in.get(url).get_data(as_text=True)
    post_form(signed_in, f"{url}/assign", assignee="")
    assert "attribué à personne" in signed_in.get(url).get_data(as_text=True)
    entries = [e.detail for e in audit(app, "moderation.assign")]
    assert entries == [{"to": moderator, "previous": None},
                       {"to": colleague, "previous": moderator},
                       {"to": None, "previous": colleague}]


@pytest.mark.parametrize("assignee", ["nobody-by-that-name", "x" * 101, "  "])
def test_assign_bad_inputs(app, signed_in, three, assignee):
    post_form(signed_in, f"/moderation/threads/{three[0]}/assign", assignee=assignee)
    page = signed_in.get(f"/moderation/threads/{three[0]}").get_data(as_text=True)
    assert "attribué à personne" in page
    if assignee.strip():
        assert "Personne de ce nom ne peut modérer" in page


def test_notes_are_kept_shown_and_audited(app, signed_in, three):
    url = f"/moderation/threads/{three[0]}"
    response = post_form(signed_in, f"{url}/notes", text="  Vu avec l'équipe : à surveiller  ")
    assert response.headers["Location"].endswith(f"{url}#notes")
    assert "Vu avec l&#39;équipe : à surveiller</p>" in signed_in.get(url).get_data(as_text=True)
    assert [e.detail for e in audit(app, "moderation.note")] == [
        {"note": "Vu avec l'équipe : à surveiller"}]


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001])
def test_note_bad_inputs(app, signed_in, three, text):
    post_form(signed_in, f"/moderation/threads/{three[0]}/notes", text=text)
    assert "Une note compte de 1 à 1 000 caractères" in flashes(signed_in)
    assert audit(app, "moderation.note") == []


def test_undo_puts_back_the_state_before_my_last_action(app, signed_in, three):
    url = f"/moderation/threads/{three[0]}"
    post_form(signed_in, f"{url}/flags/dominated/dismiss", reason="normal ici")
    post_form(signed_in, f"{url}/review")
    assert thread_row(app, three[0]).review_state == "reviewed"
    post_form(signed_in, f"{url}/undo")
    assert thread_row(app, three[0]).review_state == "open"
    assert {n: f.state for n, f in flags_of(app, three[0]).items()} == {
        "dominated": "dismissed", "self_promotion": "open"}
    post_form(signed_in, f"{url}/undo")   # and the one before
    assert flags_of(app, three[0])["dominated"].state == "open"
    assert flags_of(app, three[0])["dominated"].note is None
    assert [e.detail["action"] for e in audit(app, "moderation.undo")] == [
        "moderation.review", "moderation.dismiss_flag"]
    post_form(signed_in, f"{url}/undo")   # nothing left
    assert "Rien à annuler pour vous ici" in flashes(signed_in)


def test_no_undo_after_someone_else_or_new_comments(app, signed_in, three, platform):
    url = f"/moderation/threads/{three[0]}"
    post_form(signed_in, f"{url}/review")
    other = moderator_client(app, platform)
    post_form(other, f"{url}/reopen")
    post_form(signed_in, f"{url}/undo")
    assert thread_row(app, three[0]).review_state == "open"   # the colleague's reopen stays
    assert "Rien à annuler pour vous ici" in flashes(signed_in)
    post_form(signed_in, f"{url}/review")
    append_to_thread(app, platform, "t0", [{"id": "n1", "author": "zoé", "text": "Et alors ?"}],
                     fixed_analyzer(["self_promotion", "dominated"], 10, "unhealthy"))
    post_form(signed_in, f"{url}/undo")
    assert "Rien à annuler pour vous ici" in flashes(signed_in)


def test_reopen_a_reviewed_thread_and_not_an_open_one(app, signed_in, three):
    url = f"/moderation/threads/{three[0]}"
    post_form(signed_in, f"{url}/review")
    post_form(signed_in, f"{url}/reopen")
    assert thread_row(app, three[0]).review_state == "open"
    assert {f.state for f in flags_of(app, three[0]).values()} == {"open"}
    assert audit(app, "moderation.reopen_by_moderator")[0].detail == {
        "previous": "reviewed", "flags": ["dominated", "self_promotion"]}
    post_form(signed_in, f"{url}/reopen")
    assert "Le fil est déjà ouvert" in flashes(signed_in)


def test_new_comments_since_the_last_decision_are_marked(app, signed_in, three, platform):
    post_form(signed_in, f"/moderation/threads/{three[0]}/review")
    assert 'data-testid="new-activity"' not in flashes(signed_in)
    append_to_thread(app, platform, "t0", [{"id": "n1", "author": "zoé", "text": "Du neuf"}],
                     fixed_analyzer(["self_promotion"], 10, "unhealthy"))
    queue = flashes(signed_in)
    assert queue.count('data-testid="new-activity"') == 1
    page = signed_in.get(f"/moderation/threads/{three[0]}").get_data(as_text=True)
    assert "Nouveaux commentaires depuis la dernière décision" in page
    assert page.count('<span class="badge new">nouveau</span>') == 1


@pytest.mark.parametrize("path", ["/assign", "/notes", "/undo", "/reopen"])
def test_tools_of_a_thread_out_of_scope_are_404(app, signed_in, path):
    other = store_thread(app, "elsewhere", "x")
    response = post_form(signed_in, f"/moderation/threads/{other}{path}", text="n", assignee="")
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["bogus", "ME", "me\x00", "none " * 3, "x" * 500])
def test_an_unknown_assigned_filter_is_ignored(signed_in, three, value):
    response = signed_in.get("/moderation/", query_string={"assigned": value})
    assert response.status_code == 200
    assert sorted(int(i) for i in ROW_RE.findall(response.get_data(as_text=True))) == sorted(
        three)


@pytest.mark.parametrize("choice", ["flagged", "unanswered", "dominant", "self_promotion"])
def test_the_comment_choices_of_a_thread(signed_in, three, choice):
    response = signed_in.get(f"/moderation/threads/{three[0]}", query_string={
        "comments": choice})
    assert response.status_code == 200
    assert "Choix de commentaires inconnu" not in response.get_data(as_text=True)
