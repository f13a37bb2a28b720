"""Thread health: metamorphic properties of the documented formula."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service import vocab
from service.scoring.health import COMPONENTS, CommentView, HealthParams, thread_health


def view(author, reply_to=None, act="contribution", promo="dialogue", question=False, named=()):
    return CommentView(author=author, reply_to=reply_to, act=act,
                       p_broadcast=0.8 if act == "broadcast" else 0.1, promotion=promo,
                       question=question, named_authors=frozenset(named))


LIVELY = [
    view("ana", act="listening", question=True),
    view("ben", 0, "contribution"),
    view("ana", 1, "listening"),
    view("chloe", 1, "contribution"),
    view("dan", 3, "listening", question=True),
    view("chloe", 4, "contribution"),
]


def test_lively_thread_is_healthy_and_unflagged():
    health = thread_health(LIVELY)
    assert health.level == "healthy", health
    assert health.flags == []
    assert set(health.components) == set(COMPONENTS)


def test_adding_self_promotion_never_raises_score():
    before = thread_health(LIVELY).score
    ad = view("shop", act="broadcast", promo="self_promotion")
    assert thread_health([*LIVELY, ad]).score <= before
    assert thread_health([*LIVELY, ad, ad]).score < before


def test_removing_reply_to_lowers_reciprocity():
    flat = [replace(c, reply_to=None) for c in LIVELY]
    assert (thread_health(flat).components["reciprocity"]
            < thread_health(LIVELY).components["reciprocity"])


@pytest.mark.parametrize(("host", "others", "pct"), [(8, 2, 80), (7, 3, 70), (9, 1, 90)])
def test_one_author_writing_most_comments_is_dominated_with_the_share(host, others, pct):
    """The reason states the host's share of this thread (not any figure that happens to
    contain the digits), in the reason code and in both languages' sentences."""
    thread = ([view("host")] + [view("host", 0) for _ in range(host - 1)]
              + [view(f"p{i}", 0) for i in range(others)])
    health = thread_health(thread)
    assert "dominated" in health.flags
    assert {"code": "dominated", "pct": pct} in health.codes
    assert f"one participant wrote {pct}% of the comments" in health.reasons
    french = thread_health(thread, language="fr")
    assert f"un seul participant a écrit {pct}\u00a0% des commentaires" in french.reasons


def test_unanswered_question_is_flagged_and_named():
    thread = [view("ana", act="listening", question=True), view("ben", act="listening"),
              view("chloe", act="broadcast"), view("dan", act="listening")]
    health = thread_health(thread, language="fr")
    assert "unanswered_questions" in health.flags
    assert "1 question est restée sans réponse" in health.reasons


def test_a_question_is_unanswered_only_once_the_thread_moved_on():
    """Two comments by others after it: still waiting; a third that ignores it: open."""
    waiting = [view("ana", act="listening", question=True), view("ben", act="listening"),
               view("ana"), view("chloe", act="broadcast")]
    assert "unanswered_questions" not in thread_health(waiting).flags
    assert "unanswered_questions" in thread_health([*waiting, view("dan", act="listening")]).flags


def test_in_a_flat_section_a_contribution_right_after_a_question_answers_it():
    """Live chat and video comments answer by position, not with reply_to."""
    asked = [view("ana", act="listening", question=True)]
    later = [view("chloe", act="broadcast"), view("dan", act="listening"),
             view("eve", act="listening")]
    answered = [*asked, view("ben", act="contribution"), *later]
    assert "unanswered_questions" not in thread_health(answered).flags
    too_late = [*asked, *later, view("ben", act="contribution")]
    assert "unanswered_questions" in thread_health(too_late).flags


def test_answered_question_is_not_flagged():
    thread = [view("ana", act="listening", question=True), view("ben", 0)]
    assert "unanswered_questions" not in thread_health(thread).flags


def test_no_dialogue_when_nobody_answers():
    thread = [view("a", act="broadcast"), view("b", act="broadcast"), view("c")]
    health = thread_health(thread)
    assert "no_dialogue" in health.flags and "broadcast_heavy" in health.flags


def test_reasons_follow_the_language_asked():
    thread = [view("a", act="broadcast", promo="self_promotion"),
              view("b", act="broadcast", promo="self_promotion"), view("c")]
    en = thread_health(thread, language="en").reasons
    fr = thread_health(thread, language="fr").reasons
    assert en[0].startswith("2 comments advertise") and fr[0].startswith("2 commentaires")


def test_empty_thread():
    assert thread_health([]).score == 0


# -- property-based -----------------------------------------------------------------------
ACTS = vocab.ACTS


@st.composite
def threads(draw, min_size=1):
    n = draw(st.integers(min_size, 25))
    authors = draw(st.lists(st.sampled_from("abcdefg"), min_size=n, max_size=n))
    out = []
    for i in range(n):
        parent = draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None
        out.append(CommentView(
            author=authors[i], reply_to=parent, act=draw(st.sampled_from(ACTS)),
            p_broadcast=draw(st.floats(0, 1)),
            promotion=draw(st.sampled_from(vocab.PROMOTION)),
            question=draw(st.booleans()), disagreement=draw(st.booleans()),
            named_authors=frozenset(draw(st.sets(st.sampled_from("abcdefg"), max_size=2)))))
    return out


params = st.builds(HealthParams,
                   weights=st.fixed_dictionaries({k: st.floats(0.01, 1) for k in
                                                  ("reciprocity", "responsiveness", "balance",
                                                   "listening_contribution", "debate")}),
                   penalty=st.floats(0, 1))


@settings(max_examples=200, deadline=None)
@given(threads(), params)
def test_score_and_components_in_range(thread, p):
    health = thread_health(thread, p)
    assert 0 <= health.score <= 100
    assert all(0 <= v <= 1 for v in health.components.values())
    assert health.level in vocab.LEVELS


@settings(max_examples=200, deadline=None)
@given(threads(), params, st.sampled_from(ACTS), st.booleans(), st.sampled_from("abcxyz"))
def test_appending_self_promotion_never_raises(thread, p, act, question, author):
    ad = CommentView(author=author, reply_to=None, act=act, p_broadcast=0.9,
                     promotion="self_promotion", question=question)
    assert thread_health([*thread, ad], p).score <= thread_health(thread, p).score


@settings(max_examples=100, deadline=None)
@given(threads(min_size=2), st.permutations(list("abcdefg")))
def test_renaming_authors_changes_nothing(thread, names):
    mapping = dict(zip("abcdefg", names, strict=True))
    renamed = [replace(c, author=mapping[c.author],
                       named_authors=frozenset(mapping[a] for a in c.named_authors))
               for c in thread]
    a, b = thread_health(thread), thread_health(renamed)
    assert (a.score, a.components, a.flags) == (b.score, b.components, b.flags)


def test_reasons_agree_in_number_in_both_languages():
    one_ad = [view("ana", question=True), view("shop", act="broadcast", promo="self_promotion")]
    two_ads = [*one_ad, view("shop2", act="broadcast", promo="self_promotion")]
    for language, one, many in (("en", "1 comment advertises", "2 comments advertise"),
                                ("fr", "1 commentaire fait", "2 commentaires font")):
        reasons = thread_health(one_ad, language=language).reasons
        assert any(r.startswith(one) for r in reasons), reasons
        reasons = thread_health(two_ads, language=language).reasons
        assert any(r.startswith(many) for r in reasons), reasons


def _naive_unanswered(comments):
    """The definition, pair by pair (quadratic): what ``_unanswered`` must compute."""
    from service.scoring.health import MOVED_ON, _answers

    questions, open_ = 0, []
    for i, c in enumerate(comments):
        if not c.question or c.act == "broadcast" or c.promotion == "self_promotion":
            continue
        answered = any(_answers(later, c, i, j) for j, later in enumerate(comments)
                       if j > i)
        others_after = sum(later.author != c.author for later in comments[i + 1:])
        if not answered and others_after < MOVED_ON:
            continue
        questions += 1
        if not answered:
            open_.append(i)
    return questions, open_


@st.composite
def threads(draw):
    authors = ["ana", "ben", "chloe", "dan"]
    size = draw(st.integers(1, 14))
    out = []
    for _ in range(size):
        out.append(view(draw(st.sampled_from(authors)),
                        draw(st.one_of(st.none(), st.integers(0, size - 1))),
                        draw(st.sampled_from(vocab.ACTS)),
                        draw(st.sampled_from(["dialogue", "dialogue", "self_promotion"])),
                        draw(st.booleans()),
                        draw(st.sets(st.sampled_from(authors), max_size=2))))
    return out


@settings(max_examples=400, deadline=None)
@given(threads())
def test_one_pass_unanswered_equals_the_pairwise_definition(comments):
    from service.scoring.health import _unanswered

    assert _unanswered(comments) == _naive_unanswered(comments)
