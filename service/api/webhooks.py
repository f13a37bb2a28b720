"""The calling platform's webhook endpoints: register (the secret is shown once), list,
read, remove, rotate the secret, enable again, and list deliveries. Another platform's
endpoint answers 404 like a missing one."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, g, jsonify, request

from ..errors import problem
from ..schemas.limits import MAX_PAGE
from ..store import reading, transaction
from ..validation import ValidationError, storable
from ..webhooks.endpoints import (
    MAX_GRACE,
    STATUSES,
    create_endpoint,
    delete_endpoint,
    deliveries,
    describe,
    enable,
    find_endpoint,
    list_endpoints,
    parse_endpoint,
    rotate_secret,
)
from . import bp, json_body

DEFAULT_GRACE = 3600


def _actor() -> str:
    return f"platform:{g.caller.platform}"


def _not_found(endpoint_id: str):
    return problem(404, "Not Found", f"No webhook endpoint {endpoint_id!r} for this platform.",
                   kind="webhook-not-found")


def _find(session, endpoint_id: str, *, lock: bool = False):
    """The caller's endpoint, or a 404 problem (also for an id no endpoint can have)."""
    found = None
    if len(endpoint_id) <= 40 and storable(endpoint_id):
        found = find_endpoint(session, g.caller.platform_id, endpoint_id, lock=lock)
    if found is None:
        abort(_not_found(endpoint_id))
    return found


def _networks() -> tuple:
    return current_app.extensions["webhooks"].allowed_networks


@bp.post("/webhooks")
def add_webhook():
    """Register an endpoint; the answer carries its secret, shown this once."""
    new = parse_endpoint(json_body(), _networks())
    with transaction() as session:
        endpoint, secret = create_endpoint(session, g.caller.platform_id, new, _actor())
        body = {**describe(endpoint), "secret": secret}
    return jsonify(body), 201, {"Location": f"/v1/webhooks/{endpoint.public_id}"}


@bp.get("/webhooks")
def list_webhooks():
    with reading() as session:
        items = [describe(e) for e in list_endpoints(session, g.caller.platform_id)]
    return jsonify({"webhooks": items})


@bp.get("/webhooks/<endpoint_id>")
def get_webhook(endpoint_id: str):
    with reading() as session:
        endpoint = _find(session, endpoint_id)
        return jsonify(describe(endpoint))


@bp.delete("/webhooks/<endpoint_id>")
def remove_webhook(endpoint_id: str):
    with transaction() as session:
        endpoint = _find(session, endpoint_id, lock=True)
        delete_endpoint(session, endpoint, _actor())
    return "", 204


def _grace(data) -> timedelta:
    """``grace_seconds`` of an optional JSON body: how long the old secret still signs."""
    if data is None:
        return timedelta(seconds=DEFAULT_GRACE)
    if not isinstance(data, dict):
        raise ValidationError([{"field": "body", "message": 'must be a JSON object '
                                                            '{"grace_seconds": ...} or empty'}])
    value = data.get("grace_seconds", DEFAULT_GRACE)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_GRACE:
        raise ValidationError([{"field": "grace_seconds",
                                "message": f"must be an integer from 0 to {MAX_GRACE}"}])
    return timedelta(seconds=value)


@bp.post("/webhooks/<endpoint_id>/rotate-secret")
def rotate_webhook_secret(endpoint_id: str):
    """A new secret, shown once; the old one keeps signing for ``grace_seconds``."""
    grace = _grace(json_body() if request.get_data(cache=True) else None)
    with transaction() as session:
        endpoint = _find(session, endpoint_id, lock=True)
        secret = rotate_secret(session, endpoint, grace, _actor())
        body = {**describe(endpoint), "secret": secret}
    return jsonify(body)


@bp.post("/webhooks/<endpoint_id>/enable")
def enable_webhook(endpoint_id: str):
    """Enable an endpoint the service disabled; its undelivered events are sent again."""
    with transaction() as session:
        endpoint = _find(session, endpoint_id, lock=True)
        requeued = enable(session, endpoint, _actor())
        body = {**describe(endpoint), "requeued": requeued}
    return jsonify(body)


def _query() -> tuple[str | None, int, int | None]:
    errors = []
    status = request.args.get("status")
    if status is not None and status not in STATUSES:
        errors.append({"field": "status", "message": f"must be one of {list(STATUSES)}"})
    limit = request.args.get("limit", "20")
    if not (limit.isascii() and limit.isdigit()) or not 1 <= int(limit) <= MAX_PAGE:
        errors.append({"field": "limit", "message": f"must be an integer from 1 to {MAX_PAGE}"})
    cursor = request.args.get("cursor")
    if cursor is not None and not (cursor.isascii() and cursor.isdigit()
                                   and len(cursor) <= 18):
        errors.append({"field": "cursor", "message": "is not a cursor returned by this "
                                                     "endpoint"})
    if errors:
        raise ValidationError(errors, 400)
    return status, int(limit), int(cursor) if cursor is not None else None


@bp.get("/webhooks/<endpoint_id>/deliveries")
def webhook_deliveries(endpoint_id: str):
    """The endpoint's deliveries, newest first: status, attempts, last error, next try."""
    status, limit, before = _query()
    with reading() as session:
        endpoint = _find(session, endpoint_id)
        items, cursor = deliveries(session, endpoint, status, limit, before)
    return jsonify({"deliveries": items,
                    "next_cursor": str(cursor) if cursor is not None else None})
