"""French and English resources are twins; cues fire on what they name."""

from __future__ import annotations

import pytest

from service.nlp.cues import extract_cues
from service.nlp.lexicons import CUE_NAMES, LANGUAGES, lexicon
from service.nlp.text import fold


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
