"""What a thread carries from one comment to the next, so appending costs O(new comments).

A thread's analysis is a left fold over its comments: each comment is analysed from itself
and a state built from the comments before it (language counts, author counts, texts and
links seen, the names of earlier participants, open questions, health sums). The state has
two parts:

- ``scalars``: a small JSON-able dict of counters and sums, whatever the thread's length;
- ``items``: keyed values that grow with the thread (one per author, name, text seen or
  asker), of which an append needs only the few its new comments touch.

Analysing a thread at once folds over all its comments from an empty state held in memory
(``Items.complete()``); an append loads the scalars and just the items its comments need
(``Items.partial``), folds over the new comments, and writes back the items it changed.
Both run the same code, so an append gives exactly what analysing the whole thread gives.
"""

from __future__ import annotations

import hashlib


class NotLoaded(LookupError):
    """An item the fold needed was not loaded: a bug in the list of keys to load."""


class Items(dict):
    """Keyed state; remembers which keys changed. A partial one refuses keys not loaded."""

    def __init__(self, loaded: dict | None = None, *, keys=None):
        super().__init__(loaded or {})
        self.known = None if keys is None else set(keys)  # None: every key is here
        self.dirty: set[str] = set()

    @classmethod
    def complete(cls) -> Items:
        """Every key of the thread is in memory (a whole thread analysed at once)."""
        return cls()

    @classmethod
    def partial(cls, loaded: dict, keys) -> Items:
        """``loaded``: the stored values of ``keys`` (absent ones were not stored)."""
        return cls(loaded, keys=keys)

    def _check(self, key: str) -> None:
        if self.known is not None and key not in self.known and key not in self.dirty:
            raise NotLoaded(key)

    def get(self, key, default=None):
        self._check(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self._check(key)
        return super().__getitem__(key)

    def __setitem__(self, key, value) -> None:
        self.dirty.add(key)
        super().__setitem__(key, value)

    def load(self, keys, fetch) -> None:
        """Make ``keys`` readable, with what ``fetch(keys not loaded yet)`` finds stored."""
        if self.known is None:
            return
        missing = set(keys) - self.known - self.dirty
        if missing:
            self.known |= missing
            for key, value in fetch(missing).items():
                super().__setitem__(key, value)

    def changed(self) -> dict:
        """The items written by the fold, to store (``None``: delete the item)."""
        return {k: super(Items, self).get(k) for k in self.dirty}


def author_item(author: str) -> str:
    """Key of an author's counts: ``[comments, dialogue comments]``."""
    return "a:" + author


def name_item(term: str) -> str:
    """Key of the earlier authors that a name lookup term may designate."""
    return "n:" + term


def question_item(author: str) -> str:
    """Key of an author's unanswered questions."""
    return "q:" + author


def seen_item(author: str, kind: str, value: str) -> str:
    """Key of a text (``kind`` "t") or link ("l") an author already posted (hashed: the
    state keeps 128 bits of SHA-256 of it, not the text)."""
    digest = hashlib.sha256(f"{kind}\x1f{value}".encode()).hexdigest()[:32]
    return f"s:{digest}:{author}"
