"""Perspective API compatibility (/v1alpha1): documented bodies sent verbatim, the response
checked field by field, keys as Perspective's clients send them, storage rules, and
suggestions in ``corrections export``. On SQLite and PostgreSQL, with the bundled model.

The documented bodies are written from Perspective's public documentation (quickstart
``curl``, Python and Node samples, the methods reference); no network is used.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from service.store import reading, transaction
from service.store.keys import revoke_key
from service.store.models import Base
from tests.helpers import new_key

ANALYZE = "/v1alpha1/comments:analyze"
SUGGEST = "/v1alpha1/comments:suggestscore"

# Perspective's quickstart curl, its shape byte for byte (bare keys, as Google's front end
# accepts), with a comment text of our own.
QUICKSTART_CURL = ('{comment: {text: "which bakery did you mean, the one on Cartier?"},\n'
                   '       languages: ["en"],\n'
                   '       requestedAttributes: {TOXICITY:{}} }')
# The Python sample (googleapiclient) and the Node sample, as the libraries serialise them
# (our own comment texts).
PYTHON_SAMPLE = {"comment": {"text": "hello from a python client"},
                 "requestedAttributes": {"TOXICITY": {}}}
NODE_SAMPLE = {"comment": {"text": "Well that went badly! Oh no, not again!"},
               "requestedAttributes": {"TOXICITY": {}}}
# The methods reference, every field filled in.
FULL_REQUEST = {
    "comment": {"text": "Check out my channel, link in bio!! Anyone baking above 1500 m?",
                "type": "PLAIN_TEXT"},
    "context": {"entries": [{"text": "My loaves collapse at altitude, any advice?",
                             "type": "PLAIN_TEXT"}]},
    "requestedAttributes": {"SPAM": {"scoreType": "PROBABILITY", "scoreThreshold": 0.0},
                            "BROADCAST": {}, "LISTENING": {}, "CONTRIBUTION": {},
                            "SELF_PROMOTION": {}},
    "spanAnnotations": True,
    "languages": ["en"],
    "doNotStore": True,
    "clientToken": "token-42",
    "sessionId": "session-7",
    "communityId": "bakers",
}
SUGGEST_CURL = ('{comment: {text: "Check out my bakery channel, link in bio!!"}, '
                'attributeScores: {SPAM: {summaryScore: {value: 0.9}}}, '
                'clientToken: "t-1", communityId: "bakers"}')


@pytest.fixture(scope="module")
def api(db_app):
    key, headers = new_key(db_app)
    return db_app, db_app.test_client(), key, headers


def _raw(client, body: str, key: str, path: str = ANALYZE):
    return client.post(f"{path}?key={key}", data=body, content_type="application/json")


def _score_ok(score: dict) -> None:
    assert set(score) == {"value", "type"}
    assert score["type"] == "PROBABILITY" and 0 <= score["value"] <= 1


def _table_counts(app) -> dict[str, int]:
    with app.app_context(), reading() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t))
                for t in Base.metadata.sorted_tables}


@pytest.mark.parametrize("body", [QUICKSTART_CURL, json.dumps(PYTHON_SAMPLE),
                                  json.dumps(NODE_SAMPLE)])
def test_documented_bodies_verbatim_name_toxicity_which_we_do_not_score(api, body):
    _, client, key, _ = api
    response = _raw(client, body, key)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT"
    assert "TOXICITY" in error["message"] and "SPAM" in error["message"]


@pytest.mark.parametrize("body", [QUICKSTART_CURL, json.dumps(PYTHON_SAMPLE),
                                  json.dumps(NODE_SAMPLE)])
def test_documented_bodies_with_spam_answer_perspectives_shape(api, body):
    _, client, key, _ = api
    response = _raw(client, body.replace("TOXICITY", "SPAM"), key)
    assert response.status_code == 200, response.get_json()
    out = response.get_json()
    assert set(out) == {"attributeScores", "languages", "detectedLanguages"}
    assert set(out["attributeScores"]) == {"SPAM"}
    assert set(out["attributeScores"]["SPAM"]) == {"summaryScore"}
    _score_ok(out["attributeScores"]["SPAM"]["summaryScore"])
    assert out["languages"] == ["en"] and out["detectedLanguages"] == ["en"]


def test_full_request_field_by_field(api):
    _, client, key, _ = api
    response = client.post(f"{ANALYZE}?key={key}", json=FULL_REQUEST)
    assert response.status_code == 200
    out = response.get_json()
    assert set(out) == {"attributeScores", "languages", "detectedLanguages", "clientToken"}
    assert out["clientToken"] == "token-42"
    assert out["languages"] == ["en"] and out["detectedLanguages"] == ["en"]
    scores = out["attributeScores"]
    assert set(scores) == {"SPAM", "SELF_PROMOTION", "BROADCAST", "LISTENING", "CONTRIBUTION"}
    text = FULL_REQUEST["comment"]["text"]
    for entry in scores.values():
        assert set(entry) == {"summaryScore", "spanScores"}
        _score_ok(entry["summaryScore"])
        spans = entry["spanScores"]
        assert [(s["begin"], s["end"]) for s in spans] == [(0, 35), (36, len(text))]
        for span in spans:
            assert set(span) == {"begin", "end", "score"}
            _score_ok(span["score"])
    assert scores["SPAM"] == scores["SELF_PROMOTION"]
    assert scores["SPAM"]["summaryScore"]["value"] > 0.5
    acts = [scores[n]["summaryScore"]["value"] for n in ("BROADCAST", "LISTENING",
                                                          "CONTRIBUTION")]
    assert sum(acts) == pytest.approx(1, abs=1e-3)
    # the pitch is the first sentence, the question the second
    spam_spans = scores["SPAM"]["spanScores"]
    assert spam_spans[0]["score"]["value"] > spam_spans[1]["score"]["value"]


def test_bearer_key_works_as_well_as_query_key(api):
    _, client, _, headers = api
    body = {"comment": {"text": "Merci pour ta réponse, je vais essayer ce soir."},
            "requestedAttributes": {"LISTENING": {}}}
    response = client.post(ANALYZE, json=body, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["detectedLanguages"] == ["fr"]
    assert response.get_json()["languages"] == ["fr"]


def test_keys_refused_as_google_does(api):
    app, client, _, _ = api
    body = {"comment": {"text": "hello"}, "requestedAttributes": {"SPAM": {}}}
    missing = client.post(ANALYZE, json=body)
    assert missing.status_code == 403
    assert missing.get_json()["error"]["status"] == "PERMISSION_DENIED"
    wrong = client.post(f"{ANALYZE}?key=not-a-key", json=body)
    assert wrong.status_code == 400
    assert wrong.get_json()["error"]["details"][0]["reason"] == "API_KEY_INVALID"
    key, _ = new_key(app)
    with app.app_context(), transaction() as session:
        assert revoke_key(session, key.split("_")[1])
    assert client.post(f"{ANALYZE}?key={key}", json=body).status_code == 400


def test_score_threshold_leaves_out_lower_scores(api):
    _, client, key, _ = api
    body = {"comment": {"text": "Thanks Lea, that worked for me too. Great tip!"},
            "languages": ["en"], "spanAnnotations": True,
            "requestedAttributes": {"SPAM": {"scoreThreshold": 0.99},
                                    "LISTENING": {"scoreThreshold": 0.0}}}
    out = client.post(f"{ANALYZE}?key={key}", json=body).get_json()
    assert "SPAM" not in out["attributeScores"]
    assert "LISTENING" in out["attributeScores"]
    body["requestedAttributes"]["LISTENING"]["scoreThreshold"] = 1.0
    out = client.post(f"{ANALYZE}?key={key}", json=body).get_json()
    assert out["attributeScores"] == {}


def test_unsupported_attributes_dropped_when_asked(api):
    _, client, key, _ = api
    body = {"comment": {"text": "hello there"}, "dropUnsupportedAttributes": True,
            "requestedAttributes": {"TOXICITY": {}, "SPAM": {}}}
    out = client.post(f"{ANALYZE}?key={key}", json=body).get_json()
    assert set(out["attributeScores"]) == {"SPAM"}


@pytest.mark.parametrize("languages", [["de"], ["fr", "es"], ["zh-Hans"]])
def test_languages_other_than_fr_en_are_refused_like_perspective(api, languages):
    _, client, key, _ = api
    body = {"comment": {"text": "hello there"}, "languages": languages,
            "requestedAttributes": {"SPAM": {}}}
    response = client.post(f"{ANALYZE}?key={key}", json=body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert "does not support request languages" in error["message"]
    assert error["details"][0]["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"


def test_regional_language_codes_are_their_language(api):
    _, client, key, _ = api
    body = {"comment": {"text": "ok"}, "languages": ["fr-CA"],
            "requestedAttributes": {"SPAM": {}}}
    assert client.post(f"{ANALYZE}?key={key}", json=body).get_json()["languages"] == ["fr"]


def test_detected_other_language_is_refused_like_perspective(api):
    _, client, key, _ = api
    body = {"comment": {"text": "Hallo zusammen, ich habe eine Frage zu diesem Thema und "
                                "brauche bitte eure Hilfe"},
            "requestedAttributes": {"SPAM": {}}}
    response = client.post(f"{ANALYZE}?key={key}", json=body)
    assert response.status_code == 400
    assert "does not support request languages: de" in response.get_json()["error"]["message"]


def test_do_not_store_true_leaves_the_database_unchanged(api):
    app, client, key, _ = api
    before = _table_counts(app)
    for body in (FULL_REQUEST, {**FULL_REQUEST, "spanAnnotations": False}):
        response = client.post(f"{ANALYZE}?key={key}", json=body)
        assert response.status_code == 200
        assert "X-Thread-Health-Thread" not in response.headers
    assert _table_counts(app) == before


def test_without_community_nothing_is_stored(api):
    app, client, key, _ = api
    before = _table_counts(app)
    body = {**FULL_REQUEST, "doNotStore": False}
    body.pop("communityId")
    assert client.post(f"{ANALYZE}?key={key}", json=body).status_code == 200
    assert _table_counts(app) == before


def test_do_not_store_false_with_community_stores_a_one_comment_thread(api):
    app, client, key, headers = api
    body = {**FULL_REQUEST, "doNotStore": False}
    first = client.post(f"{ANALYZE}?key={key}", json=body)
    thread_id = first.headers["X-Thread-Health-Thread"]
    assert thread_id.startswith("perspective:bakers:")
    counts = _table_counts(app)
    again = client.post(f"{ANALYZE}?key={key}", json=body)
    assert again.headers["X-Thread-Health-Thread"] == thread_id
    assert _table_counts(app) == counts  # the same comment again stores nothing new
    stored = client.get(f"/v1/threads/{thread_id}", headers=headers).get_json()
    assert len(stored["comments"]) == 1
    assert stored["comments"][0]["promotion"]["label"] == "self_promotion"
    assert "self_promotion" in stored["health"]["flags"]


def test_suggestscore_is_a_correction_in_the_export(api, monkeypatch, tmp_path):
    from click.testing import CliRunner

    from service.cli import main

    app, client, key, _ = api
    response = _raw(client, SUGGEST_CURL, key, SUGGEST)
    assert response.status_code == 200 and response.get_json() == {"clientToken": "t-1"}
    body = {"comment": {"text": "Merci Léa, ta méthode marche aussi avec du levain."},
            "attributeScores": {"CONTRIBUTION": {"summaryScore": {"value": 1}},
                                "SELF_PROMOTION": {"summaryScore": {"value": 0.1}}}}
    assert client.post(SUGGEST, json=body, headers={"Authorization": f"Bearer {key}"}
                       ).get_json() == {}
    monkeypatch.setenv("THREAD_HEALTH_DATA_DIR", str(app.config["DATA_DIR"]))
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    out = tmp_path / "corrections.jsonl"
    result = CliRunner().invoke(main, ["corrections", "export", "--output", str(out)])
    assert result.exit_code == 0, result.output
    threads = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    mine = {t["comments"][0]["text"]: t for t in threads
            if t["source"]["thread_id"].startswith("perspective:")}
    pitch = mine["Check out my bakery channel, link in bio!!"]["comments"][0]
    assert pitch["labels"]["promotion"] == "self_promotion"
    assert pitch["label_sources"]["promotion"] == "client"
    assert pitch["corrections"][0]["moderator"].startswith("client:")
    thanks = mine["Merci Léa, ta méthode marche aussi avec du levain."]["comments"][0]
    assert thanks["labels"]["act"] == "contribution"
    assert thanks["labels"]["promotion"] == "dialogue"
    assert thanks["label_sources"] == {"act": "client", "promotion": "client",
                                       "language": "model"}
