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


def _new_word(n: int) -> str:
    """A made-up word no pipeline has met: ``n`` written in the letters q..z."""
    letters = "qrstuvwxyz"
    return "zorb" + "".join(letters[int(d)] for d in str(n))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_vocabulary_stops_growing_at_its_bound(pipelines, lang, monkeypatch):
    """A long-running process meets new words all day: past ``VOCAB_STRINGS`` strings, the
    words a call adds are freed when it returns, and the lemma texts are the same."""
    from service.nlp import lemmas

    nlp = pipelines[lang]
    start = len(nlp.vocab.strings)
    bound = start + 100
    monkeypatch.setattr(lemmas, "VOCAB_STRINGS", bound)
    calls = [[" ".join(_new_word(1000 * c + 10 * t + w) for w in range(6)) for t in range(5)]
             for c in range(40)]  # 1,200 words never met before
    sizes, zoned = [], []
    for texts in calls:
        zoned.append(lemma_texts(texts, [lang] * len(texts), pipelines))
        sizes.append(len(nlp.vocab.strings))
    assert sizes[0] > start  # below the bound, new words stay
    full = next(i for i, size in enumerate(sizes) if size >= bound)
    assert full < 10 and set(sizes[full:]) == {sizes[full]}  # past it, not one more string
    lemmas._token_forms(nlp).form.cache_clear()
    monkeypatch.setattr(lemmas, "VOCAB_STRINGS", 1 << 30)  # the same words, kept for good
    kept = [lemma_texts(texts, [lang] * len(texts), pipelines) for texts in calls]
    assert kept == zoned and len(nlp.vocab.strings) > sizes[-1] + 1000
