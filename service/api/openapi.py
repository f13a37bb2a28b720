"""The OpenAPI 3.1 document of the service: paths here, component schemas generated from
the pydantic models of ``service.schemas``.

A test checks it against the OpenAPI 3.1 meta-schema and checks that every route of the
app appears in it; schemathesis checks real responses against it.
"""

from __future__ import annotations

from ..moderation.openapi import PATHS as MODERATION_PATHS
from ..schemas.limits import MAX_ID, MAX_PAGE
from ..schemas.openapi import component_schemas, json_response, problem, ref
from ..version import __version__
from ..vocab import UI_LANGUAGES
from .coral.openapi import PATHS as CORAL_PATHS
from .coral.openapi import SCHEMAS as CORAL_SCHEMAS
from .coral.openapi import SIGNATURE as CORAL_SIGNATURE
from .jobs_openapi import PATHS as JOB_PATHS
from .jobs_openapi import SCHEMAS as JOB_SCHEMAS
from .perspective.openapi import PATHS as PERSPECTIVE_PATHS
from .perspective.openapi import QUERY_KEY
from .perspective.openapi import SCHEMAS as PERSPECTIVE_SCHEMAS
from .webhooks_openapi import PATHS as WEBHOOK_PATHS
from .webhooks_openapi import SCHEMAS as WEBHOOK_SCHEMAS


def _body(name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": ref(name)}}}


PROBLEMS = {
    "400": problem("Malformed JSON or query parameter"),
    "401": problem("Missing, unknown or revoked API key"),
    "413": problem("Body larger than 2 MB"),
    "415": problem("Body is not JSON"),
    "422": problem("Invalid field(s); `errors` names each one (`comments` when a stored "
                    "thread would hold more than its limit of comments)"),
    "429": problem("Too many requests for this key; see Retry-After"),
    "503": problem("No model loaded; see /readyz"),
}
LANG_PARAM = {"name": "lang", "in": "query", "required": False,
              "description": "Language of the health reasons.",
              "schema": {"type": "string", "enum": list(UI_LANGUAGES)}}
INCLUDE_PARAM = {"name": "comments", "in": "query", "required": False,
                 "description": "Whose analyses the answer lists: `all` (default) every "
                                "comment of the thread, in order (the answer grows with the "
                                "thread); `sent` only the comments of this request (stored "
                                "now or before), so an append to a long thread stays small.",
                 "schema": {"type": "string", "enum": ["all", "sent"], "default": "all"}}
THREAD_ID = {"name": "thread_id", "in": "path", "required": True,
             "description": "The platform's thread id (no '/'; URL-encode other characters).",
             "schema": {"type": "string", "minLength": 1, "maxLength": MAX_ID,
                        "pattern": "^[^/]+$"}}


def _op(summary: str, responses: dict, *, body: str | None = None, params=(),
        auth: bool = True, tag: str = "analysis") -> dict:
    op = {"summary": summary, "tags": [tag], "responses": responses,
          "operationId": summary.lower().replace(" ", "_").replace(",", "").replace("'", "")}
    if params:
        op["parameters"] = list(params)
    if body:
        op["requestBody"] = _body(body)
    if not auth:
        op["security"] = []
    return op


def _with(*codes: str) -> dict:
    return {code: PROBLEMS[code] for code in codes}


def _paths() -> dict:
    write = ("400", "401", "413", "415", "422", "429", "503")
    return {
        "/v1/analyze/comment": {"post": _op(
            "Analyse one comment", {"200": json_response(ref("CommentAnalysis")), **_with(*write)},
            body="TextIn")},
        "/v1/analyze/thread": {"post": _op(
            "Analyse a thread", {"200": json_response(ref("ThreadAnalysis")), **_with(*write)},
            body="ThreadIn", params=[LANG_PARAM])},
        "/v1/threads/{thread_id}": {
            "put": _op("Store or replace a thread", {
                "200": json_response(ref("ThreadAnalysis"), "Replaced and analysed"),
                "201": json_response(ref("ThreadAnalysis"), "Stored and analysed"),
                **_with(*write)}, body="ThreadIn", params=[THREAD_ID, LANG_PARAM],
                tag="threads"),
            "get": _op("Read a stored thread's analysis", {
                "200": json_response(ref("ThreadAnalysis")),
                "404": problem("No such thread for this platform"),
                **_with("401", "422", "429")}, params=[THREAD_ID, LANG_PARAM], tag="threads")},
        "/v1/threads/{thread_id}/comments": {"post": _op(
            "Append comments", {
                "200": {**json_response(ref("ThreadAnalysis"), "Appended (or already stored)"),
                        "headers": {"X-Comments-Added": {
                            "schema": {"type": "integer"},
                            "description": "comments stored by this request"}}},
                "409": problem("A comment id is stored with other content"),
                **_with(*write),
                "503": problem("No model loaded (see /readyz), or the thread kept changing "
                                "under this append (send it again: see Retry-After)")},
                body="AppendIn", params=[THREAD_ID, LANG_PARAM, INCLUDE_PARAM],
            tag="threads")},
        "/v1/threads": {"get": _op(
            "List the platform's threads, most urgent first",
            {"200": json_response(ref("ThreadList")), **_with("400", "401", "429")},
            params=[
                {"name": "flagged", "in": "query", "schema": {"type": "string",
                                                              "enum": ["true", "false"]}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                            "maximum": MAX_PAGE, "default": 20}},
                {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
            tag="threads")},
        "/v1/models/current": {"get": _op(
            "The model in use",
            {"200": json_response(ref("ModelInfo")), **_with("401", "429", "503")},
            tag="models")},
        "/healthz": {"get": _op("Liveness", {"200": json_response({"type": "object"})}, auth=False,
                                tag="operations")},
        "/readyz": {"get": _op("Readiness", {"200": json_response(ref("Ready"), "Ready"),
                                             "503": json_response(ref("Ready"), "Not ready")},
                               auth=False, tag="operations")},
        "/metrics": {"get": _op("Prometheus metrics", {"200": {
            "description": "Prometheus text format",
            "content": {"text/plain": {"schema": {"type": "string"}}}},
            "401": problem("THREAD_HEALTH_METRICS_TOKEN is set and the request does not "
                            "carry it as 'Authorization: Bearer <token>'"),
            "403": problem("No metrics token is set and the client is not on the loopback "
                            "address")}, auth=False, tag="operations")},
        "/openapi.json": {"get": _op("This document", {"200": json_response({"type": "object"})},
                                     auth=False, tag="operations")},
        "/docs": {"get": _op("The API reference page", {"200": {
            "description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}},
            auth=False, tag="operations")},
    }


EXTRA_PATHS: dict[str, dict] = {}


def document() -> dict:
    """The OpenAPI document (other blueprints add their paths to ``EXTRA_PATHS``)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "thread-health", "version": __version__,
                 "description": "Listening, contribution and self-promotion in discussion "
                                "threads (French and English).",
                 "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}},
        "servers": [{"url": "/"}],
        "security": [{"apiKey": []}],
        "paths": {**_paths(), **PERSPECTIVE_PATHS, **CORAL_PATHS, **WEBHOOK_PATHS,
                  **JOB_PATHS, **EXTRA_PATHS, **MODERATION_PATHS},
        "components": {"schemas": {**component_schemas(), **PERSPECTIVE_SCHEMAS, **CORAL_SCHEMAS,
                                   **WEBHOOK_SCHEMAS, **JOB_SCHEMAS},
                       "securitySchemes": {
            "apiKey": {"type": "http", "scheme": "bearer",
                       "description": "`thread-health keys create --platform NAME`"},
            "queryKey": QUERY_KEY, "coralSignature": CORAL_SIGNATURE}},
    }
