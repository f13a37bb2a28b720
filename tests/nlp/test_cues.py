"""Cue counts: looking up candidate patterns by word changes no count."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.nlp.cues import LEXICON_CUES, _compiled, extract_cues
from service.nlp.lexicons import lexicon
from service.nlp.text import fold
from service.vocab import DETECTED_LANGUAGES, LANGUAGES


def every_pattern(text: str, language: str) -> dict[str, float]:
    """The lexicon counts with every pattern run on the text."""
    folded = fold(text)
    counts = dict.fromkeys(LEXICON_CUES.values(), 0.0)
    for lang in (language,) if language in LANGUAGES else LANGUAGES:
        for code, pattern in _compiled(lang).items():
            counts[code] += len(pattern.findall(folded))
    return counts


PHRASES = sorted({p.removesuffix("*") for lang in LANGUAGES
                  for name in LEXICON_CUES for p in getattr(lexicon(lang), name)})
pieces = st.one_of(st.sampled_from(PHRASES), st.text(alphabet="ab'’- .,!?+1%€$éÉ", max_size=4),
                   st.sampled_from(["nnement", "s", "ez", "'", "-", " "]))


@settings(max_examples=400, deadline=None)
@given(st.lists(pieces, max_size=12), st.sampled_from(list(DETECTED_LANGUAGES)))
def test_counts_equal_running_every_pattern(parts, language):
    text = "".join(parts)
    cues = extract_cues(text, language)
    assert {k: cues[k] for k in LEXICON_CUES.values()} == every_pattern(text, language)


@pytest.mark.parametrize(("text", "language", "code"), [
    ("Abonnez-vous et abonnement offert", "fr", "call_to_action"),
    ("+1, same here", "en", "agreement"),
])
def test_examples_still_count(text, language, code):
    assert extract_cues(text, language)[code] == every_pattern(text, language)[code] > 0
