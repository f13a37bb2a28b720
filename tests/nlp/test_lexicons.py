"""French and English resources are twins; cues fire on what they name."""

from __future__ import annotations

import pytest

from service.nlp.cues import extract_cues
from service.nlp.lexicons import CUE_NAMES, lexicon
from service.nlp.text import fold
from service.vocab import LANGUAGES


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_lexicon_defines_every_name(lang):
    module = lexicon(lang)
    for name in CUE_NAMES:
        phrases = getattr(module, name)
        assert phrases and all(isinstance(p, str) and p == fold(p) for p in phrases), name


def test_same_public_names():
    names = [{n for n in dir(lexicon(lang)) if n.isupper()} for lang in LANGUAGES]
    assert names[0] == names[1]


def test_unknown_language():
    with pytest.raises(ValueError, match="no lexicon"):
        lexicon("de")


@pytest.mark.parametrize(("text", "lang", "cue"), [
    ("Abonnez-vous à ma chaîne !", "fr", "call_to_action"),
    ("Subscribe to my channel!", "en", "call_to_action"),
    ("Merci Julie pour le lien", "fr", "thanks"),
    ("Thanks Julie for the link", "en", "thanks"),
    ("On l'a fait parce que les nouveaux étaient perdus", "fr", "reasoning"),
    ("We did it because newcomers were lost", "en", "reasoning"),
    ("Vous en pensez quoi ?", "fr", "question"),
    ("What do you think?", "en", "question"),
    ("> quoted line\nmy answer", "en", "quote"),
])
def test_cue_fires(text, lang, cue):
    assert extract_cues(text, lang)[cue] > 0


def test_own_link_uses_author_name():
    cues = extract_cues("new recipes here https://www.mariaskitchen.example/blog", "en",
                        author="MariasKitchen")
    assert cues["own_link"] == 1.0
    other = extract_cues("this helped me https://www.mariaskitchen.example/blog", "en",
                         author="bob")
    assert other["own_link"] == 0.0


@pytest.mark.parametrize(("text", "platform", "promo"), [
    ("this explains it better than I can https://www.youtube.com/watch?v=abc123", 1.0, 0.0),
    ("photos from saturday https://www.instagram.com/p/xyz/", 1.0, 0.0),
    ("20% off this week https://shop.example/checkout?ref=me", 0.0, 1.0),
])
def test_a_platform_link_is_its_own_cue_not_a_promotional_link(text, platform, promo):
    """Someone else's video is not a shop: the address alone does not say promotion."""
    cues = extract_cues(text, "en", author="bob")
    assert (cues["platform_link"], cues["promo_link"]) == (platform, promo)


@pytest.mark.parametrize(("text", "phone"), [
    ("appelez-moi au 06 12 34 56 78 pour un devis", 1.0),
    ("call 514-555-0182 any time", 1.0),
    ("+33 6 12 34 56 78", 1.0),
    ("we went from 1500 to 2300 members in 2026", 0.0),
    ("le match finit 3-2, rendez-vous le 12/03 à 14h", 0.0),
])
def test_phone_numbers_are_a_cue(text, phone):
    assert extract_cues(text, "fr")["phone_number"] == phone
