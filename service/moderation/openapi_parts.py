"""Pieces of the moderation UI's OpenAPI entries, shared by ``openapi`` (pages and label
actions) and ``openapi_tools`` (the moderator tools)."""

from __future__ import annotations

TAG = "moderation"
HTML = {"text/html": {"schema": {"type": "string"}}}
# An error through the app's handlers (service/errors.py): the UI's page for a browser,
# problem+json for any other client.
ERROR = {**HTML, "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
SIGN_IN = {"description": "No valid session: to the sign-in page",
           "headers": {"Location": {"schema": {"type": "string"}}}}
CSRF = {"type": "string", "description": "The form's CSRF token (from the page)"}
# A row id a database can hold; a larger number matches no route (a 404 like any missing row).
ROW_ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
THREAD_ID = {"name": "thread_id", "in": "path", "required": True,
             "description": "The thread's row id (as in the queue's links)",
             "schema": ROW_ID}


def _page(description: str) -> dict:
    return {"description": description, "content": HTML}


def _error(description: str) -> dict:
    return {"description": f"{description} (an HTML page for a browser, else problem+json)",
            "content": ERROR}


def _form(properties: dict, required: list[str]) -> dict:
    return {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
        "type": "object", "required": ["csrf_token", *required],
        "properties": {"csrf_token": CSRF, **properties}}}}}


def _op(op_id: str, summary: str, responses: dict, **extra) -> dict:
    return {"summary": summary, "operationId": op_id, "tags": [TAG], "security": [],
            "responses": responses, **extra}


def _action(op_id: str, summary: str, properties: dict, required: list[str],
            params: list[dict]) -> dict:
    return {"post": _op(op_id, summary, {
        "303": {"description": "Done (or refused with a message): back to the thread page"},
        "400": _error("Missing or wrong CSRF token"),
        "404": _error("No such thread in the moderator's scope")},
        parameters=[THREAD_ID, *params], requestBody=_form(properties, required))}


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


TEXT = {"type": "string", "maxLength": 1000}
