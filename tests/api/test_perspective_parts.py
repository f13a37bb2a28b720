"""The Flask-free parts of /v1alpha1: sentence spans and the bare-key JSON reader."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.api.perspective.relaxed import loads
from service.api.perspective.scoring import sentences


@pytest.mark.parametrize(("text", "pieces"), [
    ("One. Two!  Three?", ["One.", "Two!", "Three?"]),
    ("Wait... really?! yes", ["Wait...", "really?!", "yes"]),
    ("line one\n\nline two", ["line one", "line two"]),
    ("« Bien dit. » Merci", ["« Bien dit. »", "Merci"]),
    ("v1.2 is out", ["v1.2 is out"]),
    ("   ", []),
])
def test_sentences(text, pieces):
    assert [text[b:e] for b, e in sentences(text)] == pieces


@given(st.text(max_size=200))
def test_sentence_spans_are_ordered_trimmed_and_in_bounds(text):
    spans = sentences(text)
    for b, e in spans:
        assert 0 <= b < e <= len(text)
        assert text[b:e] == text[b:e].strip()
    for (_, end), (begin, _) in itertools.pairwise(spans):
        assert end <= begin


def test_bare_keys_as_perspectives_curl_sends_them():
    body = '{comment: {text: "a, b: {c: d}"}, languages: ["en"], requestedAttributes: {SPAM:{}}}'
    assert loads(body) == {"comment": {"text": "a, b: {c: d}"}, "languages": ["en"],
                           "requestedAttributes": {"SPAM": {}}}


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
                    max_leaves=20))
def test_strict_json_reads_the_same(value):
    assert loads(json.dumps(value)) == value


@pytest.mark.parametrize("text", ["{a: }", "{a b: 1}", "{: 1}", "{a: 1"])
def test_other_malformations_are_still_refused(text):
    with pytest.raises(ValueError):
        loads(text)


def test_a_comment_and_its_suggestion_share_thread_and_comment_ids():
    from service.store.suggestions import perspective_ids

    thread_id, comment_id = perspective_ids("bakers", "  Merci !\n")
    assert (thread_id, comment_id) == perspective_ids("bakers", "Merci !")
    assert thread_id.startswith("perspective:bakers:") and comment_id.startswith("c-")
    assert perspective_ids("other", "Merci !")[0] != thread_id
    assert perspective_ids(None, "Merci !")[0].startswith("perspective:-:")
