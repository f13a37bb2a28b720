"""Reason codes rendered in French and English (``render_reasons``)."""

from __future__ import annotations

import pytest

from service.scoring.reasons import REASONS, render_reasons
from service.vocab import FLAGS

CODES = [{"code": "self_promotion", "n": 1234}, {"code": "broadcast_heavy", "n": 1200,
                                                  "total": 20000},
         {"code": "dominated", "pct": 64}, {"code": "no_dialogue"},
         {"code": "unanswered_questions", "n": 2}]


def test_french_numbers_are_grouped_by_thousands_with_a_narrow_no_break_space():
    fr = render_reasons(CODES, "fr")
    assert fr[0].startswith("1\u202f234 commentaires font la promotion")
    assert fr[1] == ("1\u202f200 commentaires sur 20\u202f000 diffusent un message sans "
                     "reprendre la discussion")
    assert fr[2] == "un seul participant a écrit 64 % des commentaires"


def test_english_keeps_the_api_s_figures_as_they_were():
    en = render_reasons(CODES, "en")
    assert en[0] == "1234 comments advertise the author's own product, content or page"
    assert en[1] == "1200 of 20000 comments broadcast without taking up the thread"
    assert en[4] == "2 questions got no reply"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_one_agrees_in_number(language):
    one = render_reasons([{"code": "self_promotion", "n": 1},
                          {"code": "unanswered_questions", "n": 1}], language)
    assert one == [REASONS[language]["self_promotion_one"],
                   REASONS[language]["unanswered_questions_one"]]


def test_every_flag_and_healthy_has_a_sentence_in_both_languages():
    for language in ("en", "fr"):
        assert set(REASONS[language]) >= {*FLAGS, "healthy"}
    assert render_reasons([{"code": "healthy"}], "de") == [REASONS["en"]["healthy"]]
