"""The body Coral sends to an external moderation phase, validated at the edge.

``{action, comment: {id?, body, parentID}, author: {id, role}, story: {id, url}, site: {id},
tenantID, tenantDomain}``; every error names its field (a 400, never a 500).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ...schemas.limits import MAX_URL
from ...validation import MAX_ID, MAX_TEXT, ValidationError, string_field

ACTIONS = ("NEW", "EDIT")


@dataclass(frozen=True)
class PhaseRequest:
    action: str
    body: str
    comment_id: str | None
    parent_id: str | None
    author_id: str
    story_id: str
    story_url: str | None

    def stored_comment_id(self) -> str:
        """Coral's id when it sends one, else a stable digest of what identifies the
        comment, so a retried call finds what the first one stored."""
        if self.comment_id is not None:
            return self.comment_id
        key = "\n".join([self.story_id, self.author_id, self.parent_id or "", self.body])
        return "coral-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def _object(value, field: str, errors: list, required: bool = True) -> dict:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        errors.append({"field": field, "message": "must be an object"})
        return {}
    return value


def _text(value, field: str, errors: list, *, required: bool, limit: int) -> str | None:
    """A checked string field (``validation.string_field``), stripped; None when empty."""
    checked = string_field(value, field, errors, required=required, limit=limit, strip=True)
    return (checked.strip() or None) if checked is not None else None


def parse_phase(data) -> PhaseRequest:
    """A validated PhaseRequest, or ValidationError (400) listing every bad field."""
    errors: list[dict] = []
    if not isinstance(data, dict):
        raise ValidationError([{"field": "body", "message": "must be a JSON object"}], 400)
    action = data.get("action")
    if action not in ACTIONS:
        errors.append({"field": "action", "message": f"must be one of {list(ACTIONS)}"})
    comment = _object(data.get("comment"), "comment", errors)
    author = _object(data.get("author"), "author", errors)
    story = _object(data.get("story"), "story", errors)
    _object(data.get("site"), "site", errors, required=False)
    body = _text(comment.get("body"), "comment.body", errors, required=True, limit=MAX_TEXT)
    comment_id = _text(comment.get("id"), "comment.id", errors, required=False, limit=MAX_ID)
    parent = _text(comment.get("parentID"), "comment.parentID", errors, required=False,
                   limit=MAX_ID)
    author_id = _text(author.get("id"), "author.id", errors, required=True, limit=MAX_ID)
    _text(author.get("role"), "author.role", errors, required=False, limit=MAX_ID)
    story_id = _text(story.get("id"), "story.id", errors, required=True, limit=MAX_ID)
    url = _text(story.get("url"), "story.url", errors, required=False, limit=MAX_URL)
    for name in ("tenantID", "tenantDomain"):
        _text(data.get(name), name, errors, required=False, limit=MAX_URL)
    if errors:
        raise ValidationError(errors, 400)
    return PhaseRequest(action=action, body=body, comment_id=comment_id, parent_id=parent,
                        author_id=author_id, story_id=story_id, story_url=url)
