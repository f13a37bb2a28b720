"""The webhook endpoints of /v1 in the OpenAPI document, and the event a receiver gets."""

from __future__ import annotations

from ..schemas.openapi import json_response, problem, ref
from ..vocab import FLAGS, LEVELS, REVIEW_STATES
from ..webhooks import EVENT_TYPES
from ..webhooks.addresses import MAX_URL
from ..webhooks.endpoints import MAX_GRACE, STATUSES

TAG = "webhooks"
TIME = {"type": "string", "format": "date-time"}
MAYBE_TIME = {"type": ["string", "null"], "format": "date-time"}


ENDPOINT_ID = {"name": "endpoint_id", "in": "path", "required": True,
               "description": "The endpoint's id (`we_…`), as registration returned it.",
               "schema": {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}}
COMMON = {"401": problem("Missing, unknown or revoked API key"),
          "429": problem("Too many requests for this key; see Retry-After")}
NOT_FOUND = {"404": problem("No such endpoint for this platform")}
BODY = {"400": problem("Malformed JSON"), "413": problem("Body larger than 2 MB"),
        "415": problem("Body is not JSON"),
        "422": problem("Invalid field(s); `errors` names each one")}

ENDPOINT = {"type": "object", "required": ["id", "url", "events", "enabled", "created_at"],
            "properties": {
    "id": {"type": "string"}, "url": {"type": "string"},
    "events": {"type": "array", "items": {"type": "string", "enum": list(EVENT_TYPES)}},
    "enabled": {"type": "boolean",
                "description": "false once the service disabled it after repeated failures"},
    "disabled_at": MAYBE_TIME,
    "disabled_reason": {"type": ["string", "null"],
                        "description": "why it was disabled: attempts, event, last error"},
    "created_at": TIME, "secret_rotated_at": MAYBE_TIME,
    "previous_secret_valid_until": {**MAYBE_TIME, "description": "until then deliveries "
                                                                 "carry a signature with the "
                                                                 "previous secret too"}}}
SECRET = {"type": "string", "description": "the signing secret, shown this once"}
THREAD = {"type": "object", "required": ["id", "level", "score", "flags", "reasons"],
          "properties": {
    "id": {"type": "string", "description": "the platform's thread id"},
    "level": {"type": "string", "enum": list(LEVELS)},
    "score": {"type": "integer", "minimum": 0, "maximum": 100},
    "flags": {"type": "array", "items": {"type": "string", "enum": list(FLAGS)}},
    "reasons": {"type": "array", "items": {"type": "string"}},
    "review_state": {"type": "string", "enum": list(REVIEW_STATES)}}}

SCHEMAS = {
    "WebhookIn": {"type": "object", "required": ["url", "events"], "properties": {
        "url": {"type": "string", "maxLength": MAX_URL,
                "description": "https on a public address (http only into networks the "
                               "operator allowed)"},
        "events": {"type": "array", "minItems": 1, "uniqueItems": True,
                   "items": {"type": "string", "enum": list(EVENT_TYPES)}}}},
    "Webhook": ENDPOINT,
    "WebhookWithSecret": {"allOf": [ref("Webhook"), {
        "type": "object", "required": ["secret"], "properties": {"secret": SECRET}}]},
    "WebhookList": {"type": "object", "required": ["webhooks"], "properties": {
        "webhooks": {"type": "array", "items": ref("Webhook")}}},
    "WebhookRotateIn": {"type": "object", "properties": {
        "grace_seconds": {"type": "integer", "minimum": 0, "maximum": MAX_GRACE,
                          "default": 3600}}},
    "WebhookEnabled": {"allOf": [ref("Webhook"), {
        "type": "object", "required": ["requeued"], "properties": {
            "requeued": {"type": "integer", "minimum": 0}}}]},
    "WebhookDeliveries": {"type": "object", "required": ["deliveries", "next_cursor"],
                          "properties": {
        "deliveries": {"type": "array", "items": {"type": "object", "required": [
            "event_id", "type", "status", "attempts"], "properties": {
            "event_id": {"type": "string"}, "type": {"type": "string"},
            "status": {"type": "string", "enum": list(STATUSES)},
            "attempts": {"type": "integer", "minimum": 0},
            "last_status": {"type": ["integer", "null"]},
            "last_error": {"type": ["string", "null"]},
            "created_at": TIME, "last_attempt_at": MAYBE_TIME,
            "next_attempt_at": {**MAYBE_TIME, "description": "pending deliveries only"},
            "delivered_at": MAYBE_TIME}}},
        "next_cursor": {"type": ["string", "null"]}}},
    "WebhookEvent": {"type": "object", "required": ["id", "type", "created_at", "thread"],
                     "description": "The body POSTed to an endpoint (docs/webhooks.md)",
                     "properties": {
        "id": {"type": "string", "description": "evt_…; the same on every retry"},
        "type": {"type": "string", "enum": list(EVENT_TYPES)},
        "created_at": TIME, "thread": THREAD,
        "previous": {"type": ["object", "null"], "description": "thread.flagged and "
                                                                "thread.level_worsened"},
        "flags_raised": {"type": "array", "items": {"type": "string"}},
        "actor": {"type": "string", "description": "moderator events: moderator:<name>"},
        "detail": {"type": "object"}}},
}


def _op(summary: str, op_id: str, responses: dict, **extra) -> dict:
    return {"summary": summary, "operationId": op_id, "tags": [TAG],
            "responses": {**responses, **COMMON}, **extra}


PATHS = {
    "/v1/webhooks": {
        "post": _op("Register a webhook endpoint", "add_webhook", {
            "201": json_response(ref("WebhookWithSecret"),
                                 "Registered; the secret is shown only here"),
            **BODY}, requestBody={"required": True, "content": {"application/json": {
                "schema": ref("WebhookIn")}}},
            description="Events of the chosen types are POSTed to the URL, signed "
                        "(X-Thread-Health-Signature: t=…,v1=…), at least once, with retries. "
                        "The body each event carries is the WebhookEvent schema."),
        "get": _op("List the platform's webhook endpoints", "list_webhooks",
                   {"200": json_response(ref("WebhookList"))})},
    "/v1/webhooks/{endpoint_id}": {
        "get": _op("Read a webhook endpoint", "get_webhook", {"200": json_response(ref("Webhook")),
                                                              **NOT_FOUND},
                   parameters=[ENDPOINT_ID]),
        "delete": _op("Remove a webhook endpoint and its queue", "remove_webhook",
                      {"204": {"description": "Removed"}, **NOT_FOUND},
                      parameters=[ENDPOINT_ID])},
    "/v1/webhooks/{endpoint_id}/rotate-secret": {"post": _op(
        "Rotate an endpoint's signing secret", "rotate_webhook_secret",
        {"200": json_response(ref("WebhookWithSecret"), "The new secret, shown only here"),
         **NOT_FOUND,
         **BODY}, parameters=[ENDPOINT_ID],
        requestBody={"required": False, "content": {"application/json": {
            "schema": ref("WebhookRotateIn")}}})},
    "/v1/webhooks/{endpoint_id}/enable": {"post": _op(
        "Enable an endpoint disabled after repeated failures", "enable_webhook",
        {"200": json_response(ref("WebhookEnabled"), "Enabled; undelivered events queued again"),
         **NOT_FOUND}, parameters=[ENDPOINT_ID])},
    "/v1/webhooks/{endpoint_id}/deliveries": {"get": _op(
        "List an endpoint's deliveries, newest first", "webhook_deliveries",
        {"200": json_response(ref("WebhookDeliveries")), "400": problem("Bad query parameter"),
         **NOT_FOUND},
        parameters=[ENDPOINT_ID,
                    {"name": "status", "in": "query",
                     "schema": {"type": "string", "enum": list(STATUSES)}},
                    {"name": "limit", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 100,
                                "default": 20}},
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}}])},
}
