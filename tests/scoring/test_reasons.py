"""Reason codes rendered in French and English (``render_reasons``) from the gettext
catalogue, with Babel's figures for the locale."""

from __future__ import annotations

import pytest

from service.scoring.reasons import render_reasons
from service.vocab import FLAGS

CODES = [{"code": "self_promotion", "n": 1234}, {"code": "broadcast_heavy", "n": 1200,
                                                  "total": 20000},
         {"code": "dominated", "pct": 64}, {"code": "no_dialogue"},
         {"code": "unanswered_questions", "n": 2}]


def test_french_numbers_are_grouped_by_thousands_with_a_narrow_no_break_space():
    fr = render_reasons(CODES, "fr")
    assert fr[0] == ("1\u202f234 commentaires font la promotion du produit, du contenu ou de "
                     "la page de leur auteur")
    assert fr[1] == ("1\u202f200 commentaires sur 20\u202f000 diffusent un message sans "
                     "reprendre la discussion")
    # CLDR's French percent: a no-break space keeps the sign on the number's line.
    assert fr[2] == "un seul participant a écrit 64\u00a0% des commentaires"


def test_english_keeps_the_api_s_figures_as_they_were():
    en = render_reasons(CODES, "en")
    assert en[0] == "1234 comments advertise the author's own product, content or page"
    assert en[1] == "1200 of 20000 comments broadcast without taking up the thread"
    assert en[2] == "one participant wrote 64% of the comments"
    assert en[4] == "2 questions got no reply"


@pytest.mark.parametrize(("language", "one", "two"), [
    ("en", ["1 comment advertises the author's own product, content or page",
            "1 question got no reply"],
           ["2 comments advertise the author's own product, content or page",
            "2 questions got no reply"]),
    ("fr", ["1 commentaire fait la promotion du produit, du contenu ou de la page de son "
            "auteur", "1 question est restée sans réponse"],
           ["2 commentaires font la promotion du produit, du contenu ou de la page de leur "
            "auteur", "2 questions sont restées sans réponse"]),
])
def test_the_sentence_agrees_in_number(language, one, two):
    def render(n):
        return render_reasons([{"code": "self_promotion", "n": n},
                               {"code": "unanswered_questions", "n": n}], language)

    assert render(1) == one and render(2) == two


def test_every_flag_and_healthy_reads_in_both_languages_and_others_fall_back_to_english():
    figures = {"n": 3, "total": 5, "pct": 70}
    for code in (*FLAGS, "healthy"):
        en = render_reasons([{"code": code, **figures}], "en")
        fr = render_reasons([{"code": code, **figures}], "fr")
        assert en != fr and "%(" not in en[0] + fr[0], code
        assert render_reasons([{"code": code, **figures}], "de") == en


def test_an_unknown_code_is_refused():
    with pytest.raises(ValueError, match="unknown reason code 'nonsense'"):
        render_reasons([{"code": "nonsense"}], "en")
