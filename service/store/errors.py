"""What storage refuses, as domain errors: no HTTP here (``service/errors.py`` maps them)."""

from __future__ import annotations


class StoreError(Exception):
    """Base of the storage's refusals; ``errors`` lists ``{"field", "message"}``."""

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


class CommentsConflict(StoreError):
    """Comment ids already stored with other content."""


class CommentsRejected(StoreError):
    """Comments the stored thread cannot take (a reply to a comment it does not hold)."""


class ThreadFull(StoreError):
    """The thread would hold more comments than the configured limit."""


class BadCursor(StoreError):
    """A listing cursor that this service did not return."""


class VersionConflict(Exception):
    """The thread changed since it was read: analyse again from its new state."""


class ThreadBusy(Exception):
    """The thread kept changing under every attempt to write it (see the service layer)."""
