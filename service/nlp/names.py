"""Whether a comment names a participant: by @mention, full pseudonym or its first part.

A text names an author when one of its @mentions, reduced to letters and digits, is the
author's key, or when the folded pseudonym or its first part (3+ characters) appears in
the folded text as a whole word. ``NameIndex`` answers "which of these authors does the
text name" in time proportional to the text, not to the number of authors, so threads
of thousands of comments stay linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import MENTION_RE, fold

_NOT_KEY_RE = re.compile(r"[^a-z0-9]")
_FIRST_PART_RE = re.compile(r"[\s_.\-0-9]+")
_RUN_RE = re.compile(r"\w+")


@lru_cache(maxsize=16384)
def author_key(name: str) -> str:
    """Letters and digits of the folded name: what an @mention of it reduces to."""
    return _NOT_KEY_RE.sub("", fold(name))


def mention_keys(text: str) -> set[str]:
    """Keys of the @mentions in ``text``."""
    return {author_key(m) for m in MENTION_RE.findall(text)}


def _is_word_char(ch: str) -> bool:
    """The regular expression ``\\w`` for one character of a str."""
    return ch.isalnum() or ch == "_"


def occurs_as_word(part: str, text: str) -> bool:
    """Whether ``part`` occurs in ``text`` with no word character just before or after it
    (``re.search(r"(?<![\\w])" + re.escape(part) + r"(?![\\w])", text)``, without compiling)."""
    start = text.find(part)
    while start >= 0:
        end = start + len(part)
        if ((start == 0 or not _is_word_char(text[start - 1]))
                and (end == len(text) or not _is_word_char(text[end]))):
            return True
        start = text.find(part, start + 1)
    return False


@dataclass(frozen=True)
class AuthorName:
    """An author's key, and the pseudonym and first part that name it as whole words."""

    author: str
    key: str
    candidates: tuple[str, ...]

    def named_in(self, folded_text: str, mentions: set[str]) -> bool:
        """Whether a folded text with these mention keys names the author."""
        if not self.key:
            return False
        return self.key in mentions or any(occurs_as_word(c, folded_text)
                                           for c in self.candidates)


@lru_cache(maxsize=16384)
def author_name(author: str) -> AuthorName:
    """The (cached) matching data of one pseudonym."""
    folded = fold(author)
    first = _FIRST_PART_RE.split(folded)[0]
    candidates = {folded} | ({first} if len(first) >= 3 else set())
    return AuthorName(author, author_key(author), tuple(sorted(candidates)))


def names_author(text: str, author: str) -> bool:
    """Whether ``text`` names ``author`` (by @mention, pseudonym or first name)."""
    return author_name(author).named_in(fold(text), mention_keys(text))


def index_terms(author: str) -> tuple[str, ...]:
    """The lookup terms under which ``author`` is indexed: its mention key ("@key"), the
    first word of each candidate name ("w" + word), or "*" for a candidate that does not
    start with a word character (checked against every text). None for an author whose
    key is empty: such a name is never matched (``AuthorName.named_in``)."""
    name = author_name(author)
    if not name.key:
        return ()
    terms = {"@" + name.key}
    for candidate in name.candidates:
        run = _RUN_RE.match(candidate)
        terms.add("w" + run.group(0) if run else "*")
    return tuple(sorted(terms))


def lookup_terms(folded_text: str, mentions: set[str]) -> set[str]:
    """The terms under which an author that the text may name is indexed: a superset,
    each candidate is then checked with ``AuthorName.named_in``."""
    return ({"@" + k for k in mentions} | {"w" + w for w in _RUN_RE.findall(folded_text)}
            | {"*"})


class NameIndex:
    """Authors indexed by mention key and by the first word of each candidate name.

    A candidate that starts with a word character can only match where the text has that
    same first word, so only those candidates are checked with their pattern.
    """

    def __init__(self, authors=()):
        self._by_key: dict[str, set[str]] = {}
        self._by_word: dict[str, list[AuthorName]] = {}
        self._other: list[AuthorName] = []  # a candidate starts with a non-word character
        self._authors: set[str] = set()
        for author in authors:
            self.add(author)

    def add(self, author: str) -> None:
        """Index ``author`` (again is a no-op)."""
        if author in self._authors:
            return
        self._authors.add(author)
        name = author_name(author)
        if not name.key:
            return  # never named, as in ``AuthorName.named_in``
        self._by_key.setdefault(name.key, set()).add(author)
        if any(not _RUN_RE.match(c) for c in name.candidates):
            self._other.append(name)
        for c in name.candidates:
            if run := _RUN_RE.match(c):
                self._by_word.setdefault(run.group(0), []).append(name)

    def named(self, folded_text: str, mentions: set[str]) -> set[str]:
        """The indexed authors that a folded text with these mention keys names."""
        found: set[str] = set()
        for key in mentions:
            found |= self._by_key.get(key, set())
        for word in set(_RUN_RE.findall(folded_text)):
            for name in self._by_word.get(word, ()):
                if name.author not in found and name.named_in(folded_text, mentions):
                    found.add(name.author)
        for name in self._other:
            if name.author not in found and name.named_in(folded_text, mentions):
                found.add(name.author)
        return found
