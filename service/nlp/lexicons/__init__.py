"""Cue lexicons, one module per language with the same names (see ``CUE_NAMES``).

Entries are lower-case phrases written without accents: matching runs on text that was
lower-cased and stripped of accents, so "déjà", "deja" and "DÉJÀ" all match "deja".
A trailing ``*`` makes an entry a prefix ("abonn*" matches "abonnez", "abonnement").
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from ...vocab import LANGUAGES

# Every lexicon module defines each of these names as a tuple of phrases.
CUE_NAMES = (
    "SECOND_PERSON",
    "THANKS",
    "AGREEMENT",
    "DISAGREEMENT",
    "ACKNOWLEDGEMENT",
    "GENERIC_PRAISE",
    "REASONING",
    "FIRST_HAND",
    "EXAMPLE",
    "INVITATION",
    "QUESTION_OPENERS",
    "CALL_TO_ACTION",
    "PROMO_VOCABULARY",
    "OWNERSHIP",
    "HEDGE",
    "FUNCTION_WORDS",
)


def lexicon(language: str) -> ModuleType:
    """The lexicon module of ``language`` ("fr" or "en")."""
    if language not in LANGUAGES:
        raise ValueError(f"no lexicon for language {language!r}; expected one of {LANGUAGES}")
    return import_module(f"{__name__}.{language}")
