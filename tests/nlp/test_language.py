"""Language detection: hints, context, other languages, text with no words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.nlp.language import LanguageDetector
from service.vocab import DETECTED_LANGUAGES


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


@pytest.mark.parametrize("text", [
    "Bellissima canzone, la ascolto ogni giorno",
    "Eu concordo totalmente com você nesse ponto",
    "Bedankt voor de uitleg, heel duidelijk",
    "Nie zgadzam się z tobą w tej sprawie",
    "Pozdrowienia z Krakowa! Najlepszy koncert roku 🤘",
])
def test_other_languages_still_reach_langdetect(detector, text):
    assert detector.detect(text).language == "other"


@pytest.mark.parametrize(("text", "expected"), [
    ("Sounds like a sensible split 👍", "en"),  # langdetect alone said Norwegian
    ("Pyrenees > Alps. Fight me 😂", "en"),
    ("Ok merci, je m'y mets dès maintenant alors !", "fr"),  # langdetect alone: Catalan
])
def test_french_or_english_with_few_function_words_is_not_other(detector, text, expected):
    assert detector.detect(text).language == expected


def test_screen_hides_no_other_language_from_langdetect(detector):
    from pathlib import Path

    from service.nlp.text import language_text

    path = Path(__file__).parent / "data" / "other_languages.txt"
    for text in path.read_text(encoding="utf-8").splitlines():
        plain = language_text(text)
        if detector._other_language(plain):
            assert detector._may_be_other(plain), text


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
    assert result.language in DETECTED_LANGUAGES


DETECTOR = LanguageDetector(seed=0)


def _corpus_comments():
    import json
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "data" / "samples"
    for name in ("threads.jsonl", "hard_cases.jsonl"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            for comment in json.loads(line)["comments"]:
                yield comment["text"], comment["labels"]["language"]


class _NoLingua:
    def compute_language_confidence_values(self, text):
        raise AssertionError(f"lingua was asked about {text!r}")


def test_function_word_rule_decides_without_lingua(detector, monkeypatch):
    monkeypatch.setattr(detector, "_lingua", _NoLingua())
    assert detector.detect("Je ne sais pas si le club va ouvrir").language == "fr"
    assert detector.detect("I do not know if the club will open").language == "en"
    with pytest.raises(AssertionError):  # function words of both languages: lingua decides
        detector.detect("je ne know pas if the club will open")


def test_function_word_rule_is_never_wrong_on_the_corpus(detector):
    covered = wrong = 0
    for text, gold in _corpus_comments():
        evidence = detector._evidence(text)
        if evidence.scores and max(evidence.scores.values()) == 1.0 and len(evidence.scores) == 2:
            covered += 1
            wrong += max(evidence.scores, key=evidence.scores.get) != gold
    assert covered > 2000 and wrong == 0
