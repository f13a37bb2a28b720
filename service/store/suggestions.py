"""Labels suggested by a platform's client (Perspective's ``comments:suggestscore``).

A suggestion is a ``Correction`` row like a moderator's, with no moderator (``moderator_id``
is NULL), so ``thread-health corrections export`` includes it, marked ``client``. It keeps
the comment's text and the model's labels at the time, so it stands alone.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from .models import AuditEntry, Correction


def perspective_ids(community_id: str | None, text: str) -> tuple[str, str]:
    """(thread id, comment id) of a Perspective comment: one thread per community and text,
    so a retried request finds what the first one stored (the text is taken trimmed)."""
    digest = hashlib.sha256(f"{community_id or ''}\n{text.strip()}".encode()).hexdigest()[:20]
    return f"perspective:{community_id or '-'}:{digest}", f"c-{digest}"


def record_suggestion(session: Session, platform_id: int, actor: str, community_id: str | None,
                      text: str, labels: dict[str, str], predicted: dict[str, str],
                      model_version: str) -> list[Correction]:
    """One correction per suggested axis (act, promotion), ``old`` being the model's label.

    Recorded even when the client agrees with the model: a confirmed label is a label."""
    thread_id, comment_id = perspective_ids(community_id, text)
    rows = [Correction(platform_id=platform_id, thread_external_id=thread_id,
                       comment_external_id=comment_id, author="anonymous", text=text,
                       language=predicted.get("language"), field=axis,
                       old_value=predicted.get(axis), new_value=value,
                       model_version=model_version, predicted=predicted, moderator_id=None)
            for axis, value in labels.items()]
    session.add_all(rows)
    session.add(AuditEntry(actor=actor, action="perspective.suggestscore",
                           platform_id=platform_id, target=thread_id,
                           detail={"comment": comment_id, "labels": labels}))
    return rows
