"""The one schema: models, their OpenAPI components, the contract's examples, field paths."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from service import create_app
from service.api.openapi import document
from service.config import load_config
from service.schemas import limits
from service.schemas.errors import field_path
from service.validation import ValidationError, parse_thread
from tests.helpers import new_key

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = [p for p in (ROOT / "docs" / "contract.md", ROOT.parent / "shared" / "CONTRACT.md")
             if p.exists()]
COMMENT = re.compile(r"\s//[^\n]*")  # the shared contract annotates its JSON with // notes


def _examples(path: Path) -> list[dict]:
    blocks = re.findall(r"```json\n(.*?)```", path.read_text(encoding="utf-8"), re.DOTALL)
    return [json.loads(COMMENT.sub("", block)) for block in blocks]


def _validator(name: str) -> Draft202012Validator:
    """A validator of the OpenAPI component ``name`` (its $refs resolve in the document)."""
    root = {"components": {"schemas": document()["components"]["schemas"]}}
    registry = Registry().with_resource("urn:th", Resource.from_contents(
        root, default_specification=DRAFT202012))
    return Draft202012Validator({"$ref": f"urn:th#/components/schemas/{name}"},
                                registry=registry)


def test_contract_examples_exist():
    assert ROOT / "docs" / "contract.md" in CONTRACTS
    for path in CONTRACTS:
        assert len(_examples(path)) == 2, path


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.name)
def test_contract_examples_match_the_generated_schemas(path):
    thread, analysis = _examples(path)
    assert not list(_validator("ThreadIn").iter_errors(thread))
    assert not list(_validator("ThreadAnalysis").iter_errors(analysis))
    parsed = parse_thread(thread)
    assert [c.id for c in parsed.comments] == [c["id"] for c in thread["comments"]]


@pytest.mark.parametrize(("name", "bad"), [
    ("ThreadIn", {"comments": []}),
    ("ThreadIn", {"comments": [{"id": "c1", "author": "a"}]}),
    ("ThreadIn", {"language": "de", "comments": [{"id": "c1", "author": "a", "text": "t"}]}),
    ("ThreadAnalysis", {"model_version": "m", "comments": [], "health": {
        "score": 101, "level": "healthy", "components": {}, "flags": [], "reasons": []}}),
    ("ThreadAnalysis", {"model_version": "m", "comments": [], "health": {
        "score": 50, "level": "fine", "components": {}, "flags": [], "reasons": []}}),
    ("ThreadAnalysis", {"model_version": "m", "comments": [], "health": {
        "score": 50, "level": "healthy", "components": {}, "flags": ["spam"], "reasons": []}}),
])
def test_the_generated_schemas_refuse_what_the_contract_excludes(name, bad):
    assert list(_validator(name).iter_errors(bad))


def test_the_limits_in_the_document_are_the_limits_in_the_code():
    schemas = document()["components"]["schemas"]
    comments = schemas["ThreadIn"]["properties"]["comments"]
    assert comments["maxItems"] == limits.MAX_COMMENTS_PER_REQUEST
    assert schemas["CommentIn"]["properties"]["text"]["maxLength"] == limits.MAX_TEXT
    assert schemas["CommentIn"]["properties"]["id"]["maxLength"] == limits.MAX_ID
    config = load_config({"SECRET_KEY": "x"}, environ={})
    assert config["MAX_COMMENTS_PER_REQUEST"] == limits.MAX_COMMENTS_PER_REQUEST
    assert config["MAX_COMMENTS_PER_THREAD"] == limits.MAX_COMMENTS_PER_THREAD


@pytest.mark.parametrize(("loc", "field"), [
    ((), "body"), (("text",), "text"), (("comments",), "comments"),
    (("comments", 3, "reply_to"), "comments[3].reply_to"),
    (("labels", "flags", 0), "labels.flags[0]"), (("comments", 0), "comments[0]")])
def test_pydantic_locations_become_field_paths(loc, field):
    assert field_path(loc) == field


def test_errors_deep_in_a_thread_name_their_path():
    comments = [{"id": f"c{i}", "author": "a", "text": "hi"} for i in range(5)]
    comments[3]["reply_to"] = 7
    comments[4]["language"] = "de"
    with pytest.raises(ValidationError) as info:
        parse_thread({"comments": comments})
    assert info.value.errors == [
        {"field": "comments[3].reply_to", "message": "must be a string, got int"},
        {"field": "comments[4].language",
         "message": "must be one of ['fr', 'en'] or null, got 'de'"}]


@pytest.mark.parametrize("route", ["/v1/analyze/thread", "/v1/threads/t1"])
def test_the_request_limit_is_the_configured_one(tmp_path, route):
    """MAX_COMMENTS_PER_REQUEST is read from the app's configuration by every thread route."""
    app = create_app({"DATA_DIR": tmp_path, "TESTING": True, "LOAD_MODEL": False,
                      "AUTO_MIGRATE": True, "MAX_COMMENTS_PER_REQUEST": 2})
    _, headers = new_key(app)
    body = {"comments": [{"id": f"c{i}", "author": "a", "text": "hi"} for i in range(3)]}
    method = "put" if route.startswith("/v1/threads") else "post"
    response = getattr(app.test_client(), method)(route, json=body, headers=headers)
    assert response.status_code == 422
    assert response.json["errors"] == [{"field": "comments", "message": "at most 2 comments "
                                        "per request (MAX_COMMENTS_PER_REQUEST), got 3"}]
