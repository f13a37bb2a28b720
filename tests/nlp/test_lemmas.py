"""Lemma texts: the cached lookup path gives what running the whole pipeline gives."""

from __future__ import annotations

import pytest

from service.nlp.lemmas import TokenForms, lemma_text, lemma_texts
from service.nlp.text import mask
from service.vocab import DETECTED_LANGUAGES, LANGUAGES

TEXTS = {
    "fr": ["Aujourd'hui j'ai testé les bénévoles... C'est peut-être mieux ?!",
           "Les enfants sont allés au marché, 12,5 € le kilo — https://ex.example/a",
           "Abonnez-vous à ma chaîne 👉 @marie #jardin !!!", "", "   ", "l'arc-en-ciel"],
    "en": ["I've been running the club's meetings since 2019?! Don't worry.",
           "Check out www.shop.example/deal NOW!!! 50% off", "They're better, aren't they?",
           "U.S. teams won 3.5 games", "😂😂", "..."],
}


@pytest.fixture(scope="module")
def pipelines():
    from service.nlp.pipelines import load_pipelines

    return load_pipelines()


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_cached_forms_equal_the_full_pipeline(pipelines, lang):
    nlp = pipelines[lang]
    assert TokenForms.applies(nlp)
    texts = [mask(t) for t in TEXTS[lang]]
    expected = [lemma_text(doc) for doc in nlp.pipe(texts)]
    assert lemma_texts(texts, [lang] * len(texts), pipelines) == expected
    assert lemma_texts(texts, [lang] * len(texts), pipelines) == expected  # from the cache


def test_each_text_in_its_language_and_other_in_english(pipelines):
    texts = [TEXTS["fr"][0], TEXTS["en"][0], TEXTS["en"][2]]
    out = lemma_texts(texts, list(DETECTED_LANGUAGES), pipelines)
    assert out == [lemma_text(pipelines["fr"](texts[0])), lemma_text(pipelines["en"](texts[1])),
                   lemma_text(pipelines["en"](texts[2]))]
