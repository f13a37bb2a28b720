"""The moderation state machine's rules, as pure functions: every transition by name, then
every combination of thread state, flag states, analysis and actor against the rules as
docs/moderation.md states them."""

from __future__ import annotations

import itertools

import pytest

from service.services.moderation_state import (
    CLOSED,
    THREAD_STATES,
    FlagState,
    Rules,
    Snapshot,
    State,
    actor_kind,
    dismiss,
    escalate,
    on_analysis,
    review,
)
from service.vocab import REVIEW_STATES

PLATFORM, MOD = "platform:forum-fr", "moderator:claire"
RULES = Rules(score_drop=10)
FLAG_STATES = REVIEW_STATES


def snap(score=40, level="at_risk", flags=("dominated",)) -> Snapshot:
    return Snapshot(score, level, tuple(flags))


def state(review="open", baseline=None, **flags) -> State:
    """``state("reviewed", snap(), dominated=("reviewed", True, None))``."""
    return State(review, {n: FlagState(*v) for n, v in flags.items()}, baseline)


def actions(transition) -> list[str]:
    return [row.action for row in transition.audit]


# -- a platform's new analysis ---------------------------------------------------------------

def test_the_first_analysis_opens_its_flags():
    t = on_analysis(State(), snap(flags=("dominated", "self_promotion")), PLATFORM, RULES)
    assert t.after.review == "open"
    assert t.after.flags == {"dominated": FlagState("open", True, None),
                             "self_promotion": FlagState("open", True, None)}
    [row] = t.audit
    assert (row.actor, row.action) == (PLATFORM, "moderation.flag_raised")
    assert row.detail == {"flags": ["dominated", "self_promotion"], "score": 40,
                          "level": "at_risk", "thread": "open"}
    assert t.raised == ("dominated", "self_promotion") and t.reasons == ()


def test_an_analysis_without_flags_changes_nothing_and_logs_nothing():
    t = on_analysis(State(), snap(90, "healthy", ()), PLATFORM, RULES)
    assert t.after == State() and t.audit == ()


def test_a_new_flag_on_an_open_thread_is_raised_without_reopening():
    before = state("open", None, dominated=("open", True, None))
    t = on_analysis(before, snap(flags=("dominated", "no_dialogue")), PLATFORM, RULES)
    assert t.after.review == "open" and actions(t) == ["moderation.flag_raised"]
    assert t.after.flags["no_dialogue"] == FlagState("open", True, None)


@pytest.mark.parametrize("closed", CLOSED)
def test_a_new_flag_reopens_a_closed_thread_and_its_closed_flags(closed):
    before = state(closed, snap(40), dominated=(closed, True, "voulu" if closed == "dismissed"
                                                 else None))
    t = on_analysis(before, snap(45, flags=("dominated", "no_dialogue")), PLATFORM, RULES)
    assert t.after.review == "open"
    assert t.after.flags["dominated"] == FlagState("open", True, None)  # stale reason gone
    assert t.after.flags["no_dialogue"] == FlagState("open", True, None)
    assert actions(t) == ["moderation.flag_raised", "moderation.reopen"]
    reopen = t.audit[-1]
    assert reopen.actor == PLATFORM
    assert reopen.detail["previous"] == closed and reopen.detail["thread"] == "open"
    assert reopen.detail["flags"] == ["dominated"]
    assert reopen.detail["reasons"] == [{"code": "new_flag", "flags": ["no_dialogue"]}]
    expected_notes = {"dominated": "voulu"} if closed == "dismissed" else {}
    assert reopen.detail["dismissal_notes"] == expected_notes
    assert t.reopened == ("dominated",)


@pytest.mark.parametrize("closed", CLOSED)
def test_a_worse_level_reopens_a_closed_thread(closed):
    before = state(closed, snap(62, "healthy"), dominated=(closed, True, None))
    t = on_analysis(before, snap(58, "at_risk"), PLATFORM, RULES)
    assert t.after.review == "open" and actions(t) == ["moderation.reopen"]
    assert t.reasons == ({"code": "worse_level", "from": "healthy", "to": "at_risk"},)


@pytest.mark.parametrize(("drop", "reopens"), [(9, False), (10, True), (30, True)])
def test_a_score_drop_reopens_from_the_configured_step(drop, reopens):
    before = state("reviewed", snap(50), dominated=("reviewed", True, None))
    t = on_analysis(before, snap(50 - drop), PLATFORM, RULES)
    assert (t.after.review == "open") is reopens
    if reopens:
        assert t.reasons == ({"code": "score_drop", "from": 50, "to": 50 - drop,
                              "step": 10},)
    else:
        assert t.after == before and t.audit == ()


@pytest.mark.parametrize(("step", "reopens"), [(5, True), (15, False)])
def test_the_step_is_a_setting(step, reopens):
    before = state("dismissed", snap(50), dominated=("dismissed", True, "ok"))
    t = on_analysis(before, snap(40), PLATFORM, Rules(score_drop=step))
    assert (t.after.review == "open") is reopens


def test_the_baseline_is_what_the_moderator_acted_on_not_the_previous_analysis():
    """Three small drops of 4 points each reopen once the total reaches the step."""
    current = state("reviewed", snap(60), dominated=("reviewed", True, None))
    for score, expected in ((56, "reviewed"), (52, "reviewed"), (48, "open")):
        current = on_analysis(current, snap(score), PLATFORM, RULES).after
        assert current.review == expected


def test_a_better_or_equal_analysis_leaves_a_closed_thread_closed():
    before = state("reviewed", snap(40, "at_risk"), dominated=("reviewed", True, None))
    for health in (snap(40), snap(70, "healthy"), snap(31, "at_risk")):
        t = on_analysis(before, health, PLATFORM, RULES)
        assert t.after == before and t.audit == ()


def test_dismissed_flag_reopens_when_questions_pile_up_and_the_score_falls():
    """Issue 17: unanswered questions 1 -> 4, score 63 -> 51, the flag was dismissed."""
    before = state("dismissed", snap(63, "healthy", ("unanswered_questions",)),
                   unanswered_questions=("dismissed", True, "une seule question, sans suite"))
    t = on_analysis(before, snap(51, "at_risk", ("unanswered_questions",)), PLATFORM, RULES)
    assert t.after.review == "open"
    assert t.after.flags["unanswered_questions"] == FlagState("open", True, None)
    assert list(t.reasons) == [
        {"code": "worse_level", "from": "healthy", "to": "at_risk"},
        {"code": "score_drop", "from": 63, "to": 51, "step": 10}]
    assert t.audit[-1].detail["dismissal_notes"] == {
        "unanswered_questions": "une seule question, sans suite"}


def test_a_worse_thread_without_flags_is_not_reopened():
    before = state("reviewed", snap(60, "healthy"), dominated=("reviewed", True, None))
    t = on_analysis(before, snap(20, "unhealthy", ()), PLATFORM, RULES)
    assert t.after.review == "reviewed"
    assert t.after.flags["dominated"] == FlagState("reviewed", False, None)
    assert actions(t) == ["moderation.flag_cleared"] and t.cleared == ("dominated",)


def test_without_a_baseline_only_a_new_flag_reopens():
    before = state("reviewed", None, dominated=("reviewed", True, None))
    assert on_analysis(before, snap(0, "unhealthy"), PLATFORM, RULES).after == before
    t = on_analysis(before, snap(flags=("dominated", "no_dialogue")), PLATFORM, RULES)
    assert t.after.review == "open"


def test_an_escalation_holds_when_the_platform_adds_a_flag():
    before = state("escalated", snap(40), self_promotion=("escalated", True, None))
    t = on_analysis(before, snap(20, "unhealthy", ("self_promotion", "broadcast_heavy")),
                    PLATFORM, RULES)
    assert t.after.review == "escalated"
    assert t.after.flags["self_promotion"] == FlagState("escalated", True, None)
    assert t.after.flags["broadcast_heavy"] == FlagState("open", True, None)
    [raised] = t.audit
    assert raised.actor == PLATFORM and raised.action == "moderation.flag_raised"
    assert raised.detail["thread"] == "escalated"


def test_an_escalated_thread_reopens_only_the_flags_that_were_closed():
    before = state("escalated", snap(60, "healthy"), dominated=("escalated", True, None),
                   no_dialogue=("dismissed", True, "attendu"))
    t = on_analysis(before, snap(30, "unhealthy", ("dominated", "no_dialogue")), PLATFORM,
                    RULES)
    assert t.after.review == "escalated"
    assert t.after.flags["dominated"].state == "escalated"
    assert t.after.flags["no_dialogue"] == FlagState("open", True, None)
    assert t.audit[-1].detail["thread"] == "escalated"
    assert t.audit[-1].detail["previous"] == "escalated"


def test_an_open_thread_reopens_a_dismissed_flag_when_it_gets_worse():
    before = state("open", snap(50), dominated=("dismissed", True, "normal"),
                   no_dialogue=("open", True, None))
    t = on_analysis(before, snap(35, flags=("dominated", "no_dialogue")), PLATFORM, RULES)
    assert t.after.review == "open" and t.after.flags["dominated"].state == "open"
    assert actions(t) == ["moderation.reopen"]


def test_a_cleared_flag_that_comes_back_is_new_again():
    before = state("reviewed", snap(40), dominated=("reviewed", True, None))
    cleared = on_analysis(before, snap(42, flags=()), PLATFORM, RULES)
    assert cleared.after.flags["dominated"] == FlagState("reviewed", False, None)
    back = on_analysis(cleared.after, snap(42), PLATFORM, RULES)
    assert back.raised == ("dominated",) and back.after.review == "open"
    assert back.reasons == ({"code": "new_flag", "flags": ["dominated"]},)


def test_the_system_moves_threads_as_a_platform_does():
    before = state("dismissed", snap(50), dominated=("dismissed", True, "x"))
    t = on_analysis(before, snap(30), "system", RULES)
    assert t.after.review == "open" and {row.actor for row in t.audit} == {"system"}


# -- moderators --------------------------------------------------------------------------------

@pytest.mark.parametrize("previous", THREAD_STATES)
def test_review_from_any_state(previous):
    before = state(previous, None, a=("open", True, None), b=("escalated", True, None),
                   c=("dismissed", True, "x"), d=("open", False, None))
    t = review(before, snap(33), MOD)
    assert t.after.review == "reviewed" and t.after.baseline == Snapshot(33, "at_risk")
    assert {n: f.state for n, f in t.after.flags.items()} == {
        "a": "reviewed", "b": "reviewed", "c": "dismissed", "d": "open"}
    [row] = t.audit
    assert (row.actor, row.action) == (MOD, "moderation.review")
    assert row.detail == {"previous": previous, "flags": ["a", "b"]}


@pytest.mark.parametrize("previous", THREAD_STATES)
def test_escalate_from_any_state(previous):
    before = state(previous, None, a=("open", True, None), b=("reviewed", True, None),
                   c=("dismissed", True, "x"))
    t = escalate(before, snap(), MOD, "menaces")
    assert t.after.review == "escalated"
    assert {n: f.state for n, f in t.after.flags.items()} == {
        "a": "escalated", "b": "escalated", "c": "dismissed"}
    assert t.audit[0].detail == {"previous": previous, "flags": ["a", "b"], "note": "menaces"}


@pytest.mark.parametrize("previous", THREAD_STATES)
def test_dismissing_the_last_flag_dismisses_the_thread(previous):
    before = state(previous, None, a=("dismissed", True, "x"), b=("escalated", True, None),
                   old=("open", False, None))
    t = dismiss(before, snap(), MOD, "b", "pas un problème")
    assert t.after.review == "dismissed"
    assert t.after.flags["b"] == FlagState("dismissed", True, "pas un problème")
    assert t.audit[0].detail == {"flag": "b", "reason": "pas un problème",
                                 "previous": "escalated", "thread": "dismissed"}


@pytest.mark.parametrize("previous", THREAD_STATES)
def test_dismissing_one_of_two_flags_keeps_the_thread_state(previous):
    before = state(previous, None, a=("open", True, None), b=("escalated", True, None))
    t = dismiss(before, snap(), MOD, "a", "voulu")
    assert t.after.review == previous and t.after.flags["b"].state == "escalated"


def test_dismissing_an_inactive_or_unknown_flag_is_nothing():
    before = state("open", None, a=("open", False, None))
    assert dismiss(before, snap(), MOD, "a", "x") is None
    assert dismiss(before, snap(), MOD, "zzz", "x") is None


@pytest.mark.parametrize("reason", ["", "   "])
def test_dismissing_needs_a_reason(reason):
    with pytest.raises(ValueError, match="reason"):
        dismiss(state("open", None, a=("open", True, None)), snap(), MOD, "a", reason)


# -- who may do what ----------------------------------------------------------------------------

@pytest.mark.parametrize("actor", [MOD, "moderator:", "platform:", "", "admin", "system:x"])
def test_only_platforms_and_the_system_bring_analyses(actor):
    with pytest.raises(ValueError):
        on_analysis(State(), snap(), actor, RULES)


@pytest.mark.parametrize("actor", [PLATFORM, "system", "claire"])
@pytest.mark.parametrize("rule", [
    lambda s, a: review(s, snap(), a), lambda s, a: escalate(s, snap(), a, None),
    lambda s, a: dismiss(s, snap(), a, "a", "x")])
def test_only_moderators_review_escalate_or_dismiss(rule, actor):
    with pytest.raises(ValueError):
        rule(state("open", None, a=("open", True, None)), actor)


def test_actor_kinds():
    assert [actor_kind(a) for a in (MOD, PLATFORM, "system")] == [
        "moderator", "platform", "system"]


@pytest.mark.parametrize(("value", "expected"), [(1, 1), (100, 100), ("15", 15), (None, None)])
def test_rules_from_the_configuration(value, expected):
    config = {} if value is None else {"MODERATION_REOPEN_SCORE_DROP": value}
    assert Rules.from_config(config).score_drop == (expected or 10)


@pytest.mark.parametrize("value", [0, 101, -3, True, "ten", 2.5, "", [10]])
def test_bad_rules_name_the_setting(value):
    with pytest.raises(ValueError, match="moderation_reopen_score_drop"):
        Rules.from_config({"MODERATION_REOPEN_SCORE_DROP": value})


# -- every combination -------------------------------------------------------------------------

NAMES = ("dominated", "no_dialogue")
FLAG_CHOICES = [None] + [FlagState(s, active, "n" if s == "dismissed" else None)
                         for s in FLAG_STATES for active in (True, False)]
BASELINES = [None, Snapshot(60, "healthy"), Snapshot(55, "at_risk"), Snapshot(40, "at_risk")]
HEALTHS = [Snapshot(score, level, flags)
           for score, level in ((70, "healthy"), (55, "at_risk"), (50, "at_risk"), (45, "at_risk"),
                                (10, "unhealthy"))
           for flags in ((), ("dominated",), ("no_dialogue",), NAMES)]
RANK = {"unhealthy": 0, "at_risk": 1, "healthy": 2}


def _states():
    for review_state, baseline, *choices in itertools.product(
            THREAD_STATES, BASELINES, FLAG_CHOICES, FLAG_CHOICES):
        flags = {n: f for n, f in zip(NAMES, choices, strict=True) if f is not None}
        yield State(review_state, flags, baseline)


def _worse(before: State, health: Snapshot, raised) -> bool:
    """The rules in docs/moderation.md, written again independently."""
    base = before.baseline
    return bool(raised) or (bool(health.flags) and base is not None and (
        RANK[health.level] < RANK[base.level] or base.score - health.score >= 10))


def _audited(before: State, after: State, transition) -> None:
    """Every change of the thread's or a flag's state has an audit row naming it."""
    named = set()
    for row in transition.audit:
        named.update(row.detail.get("flags", []))
        if "flag" in row.detail:
            named.add(row.detail["flag"])
    for name, flag in after.flags.items():
        if before.flags.get(name) != flag:
            assert name in named, (before, after)
    if after.review != before.review:
        assert transition.audit, (before, after)
    if before == after:
        assert transition.audit == ()


def test_every_analysis_of_every_state():
    count = 0
    for before, health, actor in itertools.product(_states(), HEALTHS, (PLATFORM, "system")):
        t = on_analysis(before, health, actor, RULES)
        after, count = t.after, count + 1
        active_before = {n for n, f in before.flags.items() if f.active}
        raised = set(health.flags) - active_before
        assert {n for n, f in after.flags.items() if f.active} == set(health.flags)
        assert all(after.flags[n] == FlagState("open", True, None) for n in raised)
        assert after.baseline == before.baseline
        had_closed = any(f.active and f.state in CLOSED for n, f in before.flags.items()
                         if n in health.flags)
        reopen = _worse(before, health, raised) and (had_closed or before.review in CLOSED)
        if before.review == "escalated" or before.review == "open":
            assert after.review == before.review
        else:
            assert after.review == ("open" if reopen else before.review)
        for name in health.flags:  # closed flags open again exactly when it got worse
            if name not in raised and before.flags[name].state in CLOSED:
                assert after.flags[name].state == ("open" if reopen else
                                                   before.flags[name].state)
            if name not in raised and before.flags[name].state == "escalated":
                assert after.flags[name].state == "escalated"
        assert ("moderation.reopen" in actions(t)) is reopen
        assert all(row.actor == actor for row in t.audit)
        _audited(before, after, t)
    assert count == len(THREAD_STATES) * len(BASELINES) * 9 * 9 * len(HEALTHS) * 2


def test_every_moderator_action_on_every_state():
    for before in _states():
        health = Snapshot(44, "at_risk")
        active = {n: f for n, f in before.flags.items() if f.active}
        for t in (review(before, health, MOD), escalate(before, health, MOD, None)):
            target = "reviewed" if t.audit[0].action == "moderation.review" else "escalated"
            assert t.after.review == target and t.after.baseline == health
            for name, flag in t.after.flags.items():
                old = before.flags[name]
                if not old.active or old.state == "dismissed":
                    assert flag == old
                else:
                    assert flag.state == target
            _audited(before, t.after, t)
        for name in NAMES:
            t = dismiss(before, health, MOD, name, "raison")
            if name not in active:
                assert t is None
                continue
            assert t.after.flags[name] == FlagState("dismissed", True, "raison")
            others = [f for n, f in active.items() if n != name]
            everything = all(f.state == "dismissed" for f in others)
            assert t.after.review == ("dismissed" if everything else before.review)
            _audited(before, t.after, t)
