"""A thread's language when the client gave none: the language most of its comments are in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..vocab import LANGUAGES


def dominant_language(languages: Iterable[str | None]) -> str | None:
    """The most frequent of "fr" and "en" among the comments' detected languages (a tie goes
    to the one that came first); "other" when comments exist and none is French or
    English; None for no comments."""
    counts: Counter[str] = Counter()
    seen = False
    for language in languages:
        seen = True
        if language in LANGUAGES:
            counts[language] += 1
    if not counts:
        return "other" if seen else None
    return counts.most_common(1)[0][0]
