"""Thread validation at the edge: a table of bad inputs, each naming its field."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.validation import ValidationError, parse_thread


def thread(**changes):
    base = {"id": "t1", "language": "fr", "comments": [
        {"id": "c1", "author": "ana", "text": "Bonjour à tous"},
        {"id": "c2", "author": "ben", "text": "Salut Ana", "reply_to": "c1"}]}
    base.update(changes)
    return base


def comment(**changes):
    base = {"id": "c1", "author": "ana", "text": "hello"}
    base.update(changes)
    return base


BAD = [
    ([], "body", "JSON object"),
    (thread(comments=[]), "comments", "non-empty array"),
    (thread(comments="x"), "comments", "non-empty array"),
    (thread(comments=[comment()] * 2001), "comments", "at most 2000"),
    (thread(language="de"), "language", "'fr', 'en'"),
    (thread(id=5), "id", "must be a string"),
    (thread(id="x" * 201), "id", "at most 200"),
    (thread(comments=[comment(text="")]), "comments[0].text", "must not be empty"),
    (thread(comments=[comment(text="   ")]), "comments[0].text", "must not be empty"),
    (thread(comments=[comment(text="a" * 10001)]), "comments[0].text", "at most 10000"),
    (thread(comments=[comment(text=None)]), "comments[0].text", "is required"),
    (thread(comments=[comment(author=None)]), "comments[0].author", "is required"),
    (thread(comments=[comment(id=None)]), "comments[0].id", "is required"),
    (thread(comments=[comment(id="c" * 201)]), "comments[0].id", "at most 200"),
    (thread(comments=[comment(), comment()]), "comments[1].id", "duplicate"),
    (thread(comments=[comment(reply_to="zz")]), "comments[0].reply_to", "earlier comment"),
    (thread(comments=[comment(reply_to=3)]), "comments[0].reply_to", "must be a string"),
    (thread(comments=[comment(language="es")]), "comments[0].language", "'fr', 'en'"),
    (thread(comments=[comment(created_at=12)]), "comments[0].created_at", "ISO 8601"),
    (thread(comments=["text"]), "comments[0]", "must be an object"),
]


@pytest.mark.parametrize(("body", "field", "message"), BAD)
def test_bad_threads_name_the_field(body, field, message):
    with pytest.raises(ValidationError) as info:
        parse_thread(body)
    fields = {e["field"]: e["message"] for e in info.value.errors}
    assert field in fields, fields
    assert message in fields[field]


def test_all_errors_reported_at_once():
    body = thread(comments=[comment(text=""), comment(id="c2", author=None)])
    with pytest.raises(ValidationError) as info:
        parse_thread(body)
    assert {e["field"] for e in info.value.errors} == {"comments[0].text", "comments[1].author"}


def test_id_required_when_asked():
    with pytest.raises(ValidationError):
        parse_thread(thread(id=None), id_required=True)


def test_valid_thread_is_trimmed_and_kept():
    parsed = parse_thread(thread(comments=[comment(text="  hi there  ")]))
    assert parsed.comments[0].text == "hi there" and parsed.language == "fr"


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.sampled_from(["id", "comments", "text", "author",
                                                       "reply_to", "language", "x"]),
                                      inner, max_size=5), max_leaves=25))
def test_arbitrary_json_never_raises_anything_else(obj):
    json.dumps(obj)
    try:
        parse_thread(obj)
    except ValidationError as exc:
        assert exc.errors and all({"field", "message"} <= set(e) for e in exc.errors)
