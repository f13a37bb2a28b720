"""The Coral phase in the OpenAPI document: Coral's request body, the two answers, and the
HMAC signature header that authenticates it."""

from __future__ import annotations

from ...schemas.openapi import problem, ref
from ...validation import MAX_ID, MAX_TEXT
from .parsing import ACTIONS, MAX_URL

TAG = "coral"
ID = {"type": "string", "minLength": 1, "maxLength": MAX_ID}
SIGNATURE = {"type": "apiKey", "in": "header", "name": "X-Coral-Signature",
             "description": "`sha256=<hex HMAC-SHA256 of the raw body>` with the platform's "
                            "Coral secret (`thread-health coral secret create --platform P`); "
                            "several, comma-separated, during a rotation: any valid one passes"}


SCHEMAS = {
    "CoralPhaseRequest": {
        "type": "object", "required": ["action", "comment", "author", "story"],
        "properties": {
            "action": {"type": "string", "enum": list(ACTIONS)},
            "comment": {"type": "object", "required": ["body"], "properties": {
                "id": {**ID, "description": "stored as the comment id when sent; otherwise "
                                            "a stable digest of story, author, parent, body"},
                "body": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT,
                         "description": "plain text (set the phase's format to plain text)"},
                "parentID": {"type": ["string", "null"], "maxLength": MAX_ID,
                             "description": "reply_to when that comment is stored"}}},
            "author": {"type": "object", "required": ["id"], "properties": {
                "id": {**ID, "description": "stored as the comment's author"},
                "role": {"type": "string", "maxLength": MAX_ID}}},
            "story": {"type": "object", "required": ["id"], "properties": {
                "id": {**ID, "description": "the thread id the comment is stored in"},
                "url": {"type": "string", "maxLength": MAX_URL}}},
            "site": {"type": "object", "properties": {"id": {"type": "string"}}},
            "tenantID": {"type": "string", "maxLength": MAX_URL},
            "tenantDomain": {"type": "string", "maxLength": MAX_URL},
        }},
    "CoralPhaseResponse": {
        "type": "object", "required": ["actions"], "properties": {"actions": {
            "type": "array", "items": {"type": "object", "required": ["actionType", "reason"],
                                       "properties": {
                "actionType": {"type": "string", "enum": ["FLAG"]},
                "reason": {"type": "string", "enum": ["COMMENT_DETECTED_SPAM"]}}}}}},
}

PATHS = {
    "/v1/integrations/coral/{platform}/phase": {"post": {
        "summary": "Coral Talk external moderation phase",
        "operationId": "coral_phase", "tags": [TAG],
        "description": "Coral calls this for every new or edited comment. The comment is "
                       "stored in the story's thread (idempotent on retries), so its health "
                       "accrues; the answer is FLAG (spam) when P(self_promotion) is at or "
                       "above the platform's threshold, else 204. See docs/coral.md.",
        "security": [{"coralSignature": []}],
        "parameters": [{"name": "platform", "in": "path", "required": True,
                        "schema": {"type": "string"}, "description": "the platform's name"}],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": ref("CoralPhaseRequest")}}},
        "responses": {
            "200": {"description": "Flag the comment as spam", "content": {
                "application/json": {"schema": ref("CoralPhaseResponse")}}},
            "204": {"description": "No decision"},
            "400": problem("Not JSON, or a field is missing or malformed (named in errors)"),
            "401": problem("Missing or invalid X-Coral-Signature, or no phase for platform"),
            "413": problem("Body larger than 2 MB"),
            "503": problem("No model loaded; see /readyz (Coral carries on without us)")}}},
}
