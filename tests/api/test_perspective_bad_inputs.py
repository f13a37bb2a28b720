"""A table of bad inputs for /v1alpha1: each is answered in Google's error shape with the
documented status and a message naming what is wrong; none is a 500."""

from __future__ import annotations

import pytest

from tests.helpers import new_key

ANALYZE = "/v1alpha1/comments:analyze"
SUGGEST = "/v1alpha1/comments:suggestscore"
OK_ATTRS = {"SPAM": {}}
LONG = "x" * 10_001


def analyze(**fields) -> dict:
    return {"comment": {"text": "hello"}, "requestedAttributes": OK_ATTRS, **fields}


def suggest(**fields) -> dict:
    return {"comment": {"text": "hello"},
            "attributeScores": {"SPAM": {"summaryScore": {"value": 0.9}}}, **fields}


@pytest.fixture(scope="module")
def api(model_free_app):
    key, _ = new_key(model_free_app)
    return model_free_app.test_client(), key


# (path, body (dict, or raw str/bytes), status, words the message must contain)
CASES = [
    (ANALYZE, b"{not json", 400, "Invalid JSON"),
    (ANALYZE, b"", 400, "Invalid JSON"),
    (ANALYZE, b"\xff\xfe", 400, "Invalid JSON"),
    (ANALYZE, "[" * 5000, 400, "Invalid JSON"),
    (ANALYZE, ["comment"], 400, "body"),
    (ANALYZE, "\"a string\"", 400, "body"),
    (ANALYZE, {}, 400, "comment"),
    (ANALYZE, {"requestedAttributes": OK_ATTRS}, 400, "comment"),
    (ANALYZE, analyze(comment="hello"), 400, "comment"),
    (ANALYZE, analyze(comment={}), 400, "non-empty"),
    (ANALYZE, analyze(comment={"text": ""}), 400, "non-empty"),
    (ANALYZE, analyze(comment={"text": " \n "}), 400, "non-empty"),
    (ANALYZE, analyze(comment={"text": 7}), 400, "non-empty"),
    (ANALYZE, analyze(comment={"text": LONG}), 400, "too long"),
    (ANALYZE, analyze(comment={"text": "a\x00b"}), 400, "NUL"),
    (ANALYZE, analyze(comment={"text": "\ud800"}), 400, "Unicode"),
    (ANALYZE, analyze(comment={"text": "<b>hi</b>", "type": "HTML"}), 400, "PLAIN_TEXT"),
    (ANALYZE, {"comment": {"text": "hello"}}, 400, "requestedAttributes"),
    (ANALYZE, analyze(requestedAttributes={}), 400, "requestedAttributes"),
    (ANALYZE, analyze(requestedAttributes=["SPAM"]), 400, "requestedAttributes"),
    (ANALYZE, analyze(requestedAttributes={"TOXICITY": {}}), 400, "TOXICITY"),
    (ANALYZE, analyze(requestedAttributes={"TOXICITY": {}}, dropUnsupportedAttributes=True),
     400, "dropped"),
    (ANALYZE, analyze(requestedAttributes={"SPAM": []}), 400, "SPAM"),
    (ANALYZE, analyze(requestedAttributes={"SPAM": {"scoreType": "STD_SCORE"}}), 400,
     "PROBABILITY"),
    (ANALYZE, analyze(requestedAttributes={"SPAM": {"scoreThreshold": 1.5}}), 400,
     "scoreThreshold"),
    (ANALYZE, analyze(requestedAttributes={"SPAM": {"scoreThreshold": "0.5"}}), 400,
     "scoreThreshold"),
    (ANALYZE, analyze(requestedAttributes={"SPAM": {"scoreThreshold": True}}), 400,
     "scoreThreshold"),
    (ANALYZE, analyze(languages="fr"), 400, "languages"),
    (ANALYZE, analyze(languages=[1]), 400, "languages"),
    (ANALYZE, analyze(languages=["de"]), 400, "does not support request languages: de"),
    (ANALYZE, analyze(languages=["en", "ja"]), 400, "does not support request languages: ja"),
    (ANALYZE, analyze(context=[]), 400, "context"),
    (ANALYZE, analyze(context={"entries": "x"}), 400, "context.entries"),
    (ANALYZE, analyze(context={"entries": [{"text": "a"}] * 51}), 400, "context.entries"),
    (ANALYZE, analyze(context={"entries": [7]}), 400, "context.entries[0]"),
    (ANALYZE, analyze(context={"entries": [{"text": LONG}]}), 400, "context.entries[0]"),
    (ANALYZE, analyze(context={"entries": [{"text": "a", "type": "HTML"}]}), 400,
     "context.entries[0].type"),
    (ANALYZE, analyze(doNotStore="yes"), 400, "doNotStore"),
    (ANALYZE, analyze(spanAnnotations=1), 400, "spanAnnotations"),
    (ANALYZE, analyze(dropUnsupportedAttributes="true"), 400, "dropUnsupportedAttributes"),
    (ANALYZE, analyze(clientToken=5), 400, "clientToken"),
    (ANALYZE, analyze(sessionId="s" * 201), 400, "sessionId"),
    (ANALYZE, analyze(communityId={"id": 1}), 400, "communityId"),
    (ANALYZE, b"x" * (2 * 1024 * 1024 + 1), 413, "payload size"),
    (SUGGEST, {}, 400, "comment"),
    (SUGGEST, {"comment": {"text": "hello"}}, 400, "attributeScores"),
    (SUGGEST, suggest(attributeScores={"TOXICITY": {"summaryScore": {"value": 1}}}), 400,
     "TOXICITY"),
    (SUGGEST, suggest(attributeScores={"SPAM": {}}), 400, "summaryScore"),
    (SUGGEST, suggest(attributeScores={"SPAM": {"summaryScore": {"value": 2}}}), 400,
     "value"),
    (SUGGEST, suggest(attributeScores={"SPAM": {"summaryScore": {"value": None}}}), 400,
     "value"),
    (SUGGEST, suggest(attributeScores={"SPAM": {"summaryScore": {"value": 0.9}},
                                       "SELF_PROMOTION": {"summaryScore": {"value": 0.1}}}),
     400, "agree"),
    (SUGGEST, suggest(attributeScores={"BROADCAST": {"summaryScore": {"value": 0.2}}}), 400,
     "No label"),
    (SUGGEST, suggest(attributeScores={"BROADCAST": {"summaryScore": {"value": 0.8}},
                                       "LISTENING": {"summaryScore": {"value": 0.7}}}),
     400, "one act"),
    (SUGGEST, suggest(languages=["it"]), 400, "does not support request languages: it"),
    (SUGGEST, suggest(clientToken=[]), 400, "clientToken"),
]


@pytest.mark.parametrize(("path", "body", "status", "words"), CASES)
def test_bad_input(api, path, body, status, words):
    client, key = api
    if isinstance(body, (bytes, str)):
        response = client.post(f"{path}?key={key}", data=body,
                               content_type="application/json")
    else:
        response = client.post(f"{path}?key={key}", json=body)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == status
    assert error["status"] == ("INVALID_ARGUMENT" if status in (400, 413) else error["status"])
    assert words in error["message"]


def test_a_valid_body_without_a_model_is_503_in_googles_shape(api):
    client, key = api
    response = client.post(f"{ANALYZE}?key={key}", json=analyze())
    assert response.status_code == 503
    assert response.get_json()["error"]["status"] == "UNAVAILABLE"
    assert "Retry-After" in response.headers


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_are_405_not_500(api, method):
    client, key = api
    assert getattr(client, method)(f"{ANALYZE}?key={key}").status_code == 405
