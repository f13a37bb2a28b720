"""Naming participants: the index finds exactly the authors the plain definition finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from service.nlp.names import NameIndex, author_name, mention_keys, names_author, occurs_as_word
from service.nlp.text import fold


def reference_names(text: str, author: str) -> bool:
    """The definition, written the slow way: key, @mentions, whole-word regexes."""
    key = re.sub(r"[^a-z0-9]", "", fold(author))
    if not key:
        return False
    if key in {re.sub(r"[^a-z0-9]", "", fold(m)) for m in re.findall(r"(?<![\w.])@([\w.-]{2,40})",
                                                                     text)}:
        return True
    first = re.split(r"[\s_.\-0-9]+", fold(author))[0]
    candidates = {fold(author)} | ({first} if len(first) >= 3 else set())
    return any(re.search(r"(?<![\w])" + re.escape(c) + r"(?![\w])", fold(text))
               for c in candidates)


ALPHABET = "abcé É_-.@ 1'’!?(\u0301ßıİ"
texts = st.text(alphabet=ALPHABET, max_size=40)
names = st.text(alphabet=ALPHABET, min_size=1, max_size=12)


def test_examples():
    assert names_author("Merci Sarah, bonne idée", "Sarah B.")
    assert names_author("@marie_l tu as raison", "Marie L")
    assert names_author("thanks jean-pierre!", "Jean-Pierre")
    assert not names_author("jeanne a raison", "Jean")
    assert not names_author("anything", "__")  # no letters or digits: never named


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=5), texts)
def test_occurs_as_word_is_the_regex(part, text):
    expected = re.search(r"(?<![\w])" + re.escape(part) + r"(?![\w])", text) is not None
    assert occurs_as_word(part, text) == expected


@settings(max_examples=300, deadline=None)
@given(texts, names)
def test_names_author_is_the_definition(text, author):
    assert names_author(text, author) == reference_names(text, author)


@settings(max_examples=200, deadline=None)
@given(texts, st.lists(names, max_size=8))
def test_index_finds_exactly_the_named_authors(text, authors):
    folded, mentions = fold(text), mention_keys(text)
    expected = {a for a in authors if author_name(a).named_in(folded, mentions)}
    assert NameIndex(authors).named(folded, mentions) == expected
