"""Requests made as Coral makes them: ``JSON.stringify(request, null, 2)`` as the raw body,
``X-Coral-Signature`` one ``sha256=<hex>`` per signing secret, joined with commas."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from datetime import timedelta


def coral_body(body: str = "Which trail did you take from the refuge?", *, story: str = "s-1",
               author: str = "u-alice", parent: str | None = None, action: str = "NEW",
               **comment) -> dict:
    return {"action": action, "comment": {"body": body, "parentID": parent, **comment},
            "author": {"id": author, "role": "COMMENTER"},
            "story": {"id": story, "url": f"https://news.example/{story}"},
            "site": {"id": "site-1"}, "tenantID": "tenant-1", "tenantDomain": "news.example"}


def coral_bytes(data: dict) -> bytes:
    """What JavaScript's ``JSON.stringify(data, null, 2)`` produces, as UTF-8 (a lone
    surrogate escaped as ``\\udXXX``, as well-formed ``JSON.stringify`` writes it)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return text.encode("utf-8", errors="backslashreplace")


def coral_signature(raw: bytes, *secrets: str) -> str:
    return ",".join("sha256=" + hmac.new(s.encode(), raw, hashlib.sha256).hexdigest()
                    for s in secrets)


def new_phase(app, threshold: float | None = None, platform: str | None = None):
    """(platform name, secret) of a fresh Coral phase."""
    from service.store import transaction
    from service.store.coral import create_secret

    name = platform or f"coral-{uuid.uuid4().hex[:10]}"
    with app.app_context(), transaction() as session:
        secret = create_secret(session, name, threshold)
    return name, secret


def rotate(app, platform: str, grace: timedelta = timedelta(hours=1)) -> str:
    from service.store import transaction
    from service.store.coral import rotate_secret

    with app.app_context(), transaction() as session:
        return rotate_secret(session, platform, grace)


def post(client, platform: str, data, *secrets: str, signature: str | None = None):
    raw = data if isinstance(data, bytes) else coral_bytes(data)
    headers = {"Content-Type": "application/json"}
    sig = signature if signature is not None else (coral_signature(raw, *secrets)
                                                   if secrets else None)
    if sig is not None:
        headers["X-Coral-Signature"] = sig
    return client.post(f"/v1/integrations/coral/{platform}/phase", data=raw, headers=headers)
