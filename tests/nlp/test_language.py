"""Language detection: hints, context, other languages, text with no words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.nlp.language import LanguageDetector


@pytest.fixture(scope="module")
def detector():
    return LanguageDetector(seed=0)


@pytest.mark.parametrize("text", ["", "   ", "😂😂🔥", "https://shop.example/x", "@marie", "+1"])
def test_no_words_never_raises(detector, text):
    result = detector.detect(text)
    assert result.language == "other" and result.warning
    assert detector.detect(text, context="fr").language == "fr"


def test_hint_wins(detector):
    assert detector.detect("Thanks a lot, great point", hint="fr").language == "fr"


@pytest.mark.parametrize(("text", "expected"), [
    ("Je ne suis pas d'accord, le club a besoin de plus de bénévoles", "fr"),
    ("I disagree, the club needs more volunteers on Saturdays", "en"),
    ("chui pas daccord du tout avec toi pis ton affaire", "fr"),
    ("Hola amigos, ¿cómo están todos ustedes hoy en la fiesta?", "other"),
    ("Ich finde diese Diskussion wirklich sehr hilfreich und gut", "other"),
])
def test_detects_long_text(detector, text, expected):
    assert detector.detect(text).language == expected


def test_other_language_has_warning(detector):
    result = detector.detect("Hola amigos, ¿cómo están todos ustedes hoy en la fiesta?")
    assert "es" in result.warning


def test_short_comment_takes_thread_language(detector):
    texts = ["Merci pour ce récapitulatif très complet de la réunion",
             "Je suis d'accord avec la proposition du bureau", "ok"]
    results = detector.detect_thread(texts, [None] * 3)
    assert [r.language for r in results] == ["fr", "fr", "fr"]
    assert results[2].source == "thread"


def test_deterministic(detector):
    text = "Ciao a tutti, come state oggi?"
    assert len({detector.detect(text) for _ in range(5)}) == 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode_never_raises(text):
    result = DETECTOR.detect(text)
    assert result.language in ("fr", "en", "other")


DETECTOR = LanguageDetector(seed=0)
