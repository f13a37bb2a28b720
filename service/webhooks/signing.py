"""The signature of a delivery, Stripe-like:
``X-Thread-Health-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>``.

The HMAC is keyed with the endpoint's secret and covers ``"<t>.<raw body>"``, so a
receiver can refuse an old timestamp (a replay) and a changed body. During a secret
rotation one ``v1=`` is sent per valid secret, newest first: any one that matches passes.
docs/webhooks.md shows the receiver's side.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Thread-Health-Signature"


def digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def signature_header(secrets: list[str] | tuple[str, ...], timestamp: int, body: bytes) -> str:
    """The header value for ``body`` sent at ``timestamp`` with every valid secret."""
    return ",".join([f"t={timestamp}", *(f"v1={digest(s, timestamp, body)}" for s in secrets)])
