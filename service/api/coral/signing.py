"""Coral's request signature: ``X-Coral-Signature: sha256=<hex HMAC-SHA256 of the raw body>``.

During a secret rotation Coral signs with every secret it holds and joins the signatures
with commas; a call passes when any one matches any of our valid secrets. Every pair is
compared with ``hmac.compare_digest`` and all pairs are compared (no early exit), so the
time taken says nothing about which part matched. Free of Flask.
"""

from __future__ import annotations

import hashlib
import hmac

SCHEME = "sha256="
MAX_SIGNATURES = 8  # Coral sends one per unexpired secret; more is not a real call


def sign(secret: str, body: bytes) -> str:
    """The signature Coral sends for ``body`` with ``secret`` (one ``sha256=<hex>``)."""
    return SCHEME + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signatures(header: str | None) -> list[str]:
    """The hex digests of a header value, at most MAX_SIGNATURES; [] when malformed."""
    if not header:
        return []
    parts = [p.strip() for p in header.split(",")]
    if len(parts) > MAX_SIGNATURES or not all(p.startswith(SCHEME) for p in parts):
        return []
    return [p[len(SCHEME):] for p in parts]


def verify(header: str | None, body: bytes, secrets: tuple[str, ...] | list[str]) -> bool:
    """Whether any signature of ``header`` is the HMAC of ``body`` under any secret."""
    given = signatures(header)
    if not given or not secrets:
        return False
    expected = [sign(s, body)[len(SCHEME):] for s in secrets]
    matches = [hmac.compare_digest(g.encode("ascii", "replace"), e.encode("ascii"))
               for g in given for e in expected]
    return any(matches)
