"""The Perspective-compatible paths in the OpenAPI document: request and response shapes
as Perspective's reference states them, and Google's error shape."""

from __future__ import annotations

from ...schemas.openapi import ref
from ...validation import MAX_TEXT
from ...vocab import LANGUAGES
from .parsing import ATTRIBUTES, MAX_CONTEXT_ENTRIES, MAX_TOKEN

TAG = "perspective"
NAMES = list(ATTRIBUTES)
TOKEN = {"type": "string", "maxLength": MAX_TOKEN}
PROBABILITY = {"type": "number", "minimum": 0, "maximum": 1}
KEY_PARAM = {"name": "key", "in": "query", "required": False,
             "description": "The API key, as Perspective's clients send it (or the bearer "
                            "header).", "schema": {"type": "string"}}


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": ref("PerspectiveError")}}}


def _attribute_map(value: dict) -> dict:
    return {"type": "object", "propertyNames": {"type": "string"},
            "additionalProperties": value,
            "description": f"Attribute names: {', '.join(NAMES)}"}


def _text_entry(max_length: int | None) -> dict:
    text = {"type": "string", "description": f"at most {MAX_TEXT} characters"}
    if max_length:
        text.update(minLength=1, maxLength=max_length)
    return {"type": "object", "required": ["text"] if max_length else [], "properties": {
        "text": text, "type": {"type": "string", "enum": ["PLAIN_TEXT"]}}}


def _score() -> dict:
    return {"type": "object", "required": ["value", "type"], "properties": {
        "value": PROBABILITY, "type": {"type": "string", "enum": ["PROBABILITY"]}}}


def _common() -> dict:
    return {
        "comment": _text_entry(MAX_TEXT),
        "context": {"type": "object", "properties": {"entries": {
            "type": "array", "maxItems": MAX_CONTEXT_ENTRIES, "items": _text_entry(None)}}},
        "languages": {"type": "array", "maxItems": 10, "items": {"type": "string"},
                      "description": "fr and/or en (fr-CA is fr); any other is a 400; "
                                     "detected when absent"},
        "clientToken": TOKEN, "communityId": TOKEN}


SCHEMAS = {
    "PerspectiveError": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message", "status"], "properties": {
            "code": {"type": "integer"}, "message": {"type": "string"},
            "status": {"type": "string"}, "details": {"type": "array"}}}}},
    "AnalyzeCommentRequest": {"type": "object", "required": ["comment", "requestedAttributes"],
                              "properties": {
        **_common(),
        "requestedAttributes": {**_attribute_map({"type": "object", "properties": {
            "scoreType": {"type": "string", "enum": ["PROBABILITY"]},
            "scoreThreshold": PROBABILITY}}), "minProperties": 1},
        "spanAnnotations": {"type": "boolean"},
        "doNotStore": {"type": "boolean", "description": "true: nothing is stored, ever; "
                       "false (the default) with communityId: the comment is stored as a "
                       "one-comment thread (docs/perspective.md)"},
        "sessionId": TOKEN,
        "dropUnsupportedAttributes": {"type": "boolean"}}},
    "AnalyzeCommentResponse": {"type": "object", "required": [
        "attributeScores", "languages", "detectedLanguages"], "properties": {
        "attributeScores": _attribute_map({
            "type": "object", "required": ["summaryScore"], "properties": {
                "summaryScore": _score(),
                "spanScores": {"type": "array", "items": {
                    "type": "object", "required": ["begin", "end", "score"], "properties": {
                        "begin": {"type": "integer", "minimum": 0},
                        "end": {"type": "integer", "minimum": 0}, "score": _score()}}}}}),
        "languages": {"type": "array", "items": {"type": "string", "enum": list(LANGUAGES)}},
        "detectedLanguages": {"type": "array", "items": {"type": "string"}},
        "clientToken": {"type": "string"}}},
    "SuggestCommentScoreRequest": {"type": "object", "required": ["comment", "attributeScores"],
                                   "properties": {
        **_common(),
        "attributeScores": {**_attribute_map({
            "type": "object", "required": ["summaryScore"], "properties": {
                "summaryScore": {"type": "object", "required": ["value"],
                                 "properties": {"value": PROBABILITY}}}}),
            "minProperties": 1}}},
    "SuggestCommentScoreResponse": {"type": "object",
                                    "properties": {"clientToken": {"type": "string"}}},
}


def _op(op_id: str, summary: str, request: str, response: str, description: str,
        headers: dict | None = None) -> dict:
    return {"post": {
        "summary": summary, "operationId": op_id, "tags": [TAG], "description": description,
        "security": [{"apiKey": []}, {"queryKey": []}], "parameters": [KEY_PARAM],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": ref(request)}}},
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {
                "schema": ref(response)}}, **({"headers": headers} if headers else {})},
            "400": _error("Invalid request, unknown attribute, unsupported language, or "
                          "an API key that is not valid (reason API_KEY_INVALID)"),
            "403": _error("No API key"),
            "413": _error("Body larger than 2 MB"),
            "429": _error("Too many requests for this key"),
            "503": _error("No model loaded; see /readyz")}}}


PATHS = {
    "/v1alpha1/comments:analyze": _op(
        "perspective_analyze", "Analyse a comment (Perspective API compatible)",
        "AnalyzeCommentRequest", "AnalyzeCommentResponse",
        "Perspective's `comments:analyze`. Attributes: SPAM and SELF_PROMOTION "
        "(P(self_promotion)), BROADCAST, LISTENING, CONTRIBUTION (the act scores). "
        "When the comment is stored, the `X-Thread-Health-Thread` header names its thread.",
        {"X-Thread-Health-Thread": {"schema": {"type": "string"}, "description":
                                    "the stored thread (only when the comment was stored)"}}),
    "/v1alpha1/comments:suggestscore": _op(
        "perspective_suggest_score", "Suggest a comment's scores (Perspective API compatible)",
        "SuggestCommentScoreRequest", "SuggestCommentScoreResponse",
        "Perspective's `comments:suggestscore`: recorded as a label correction that "
        "`thread-health corrections export` includes (sourced `client`)."),
}
QUERY_KEY = {"type": "apiKey", "in": "query", "name": "key",
             "description": "Perspective's way of sending the key (only on /v1alpha1)"}
