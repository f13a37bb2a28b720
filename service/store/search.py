"""Search of the moderators' queue with the database's own full-text search.

SQLite: FTS5 tables over the comments (text, author) and the thread titles, each word of
the query a prefix (``"elephant"*`` finds "éléphants": accents are folded). PostgreSQL:
the GIN indexes over the French and English ``tsvector`` of the same columns; a thread
matches when the query matches in French, in English or word for word (``simple``), each
word a prefix. Migration 0009 builds both; the words of a query are all required.
"""

from __future__ import annotations

import re

from sqlalchemy import Integer, column, or_, select, table, text
from sqlalchemy.sql.elements import ColumnElement

from .models import Comment, Thread

MAX_LENGTH = 200   # characters of a query
MAX_WORDS = 8      # words of a query
WORD = re.compile(r"\w+")

# The expressions migration 0009 indexed (the query must repeat them exactly).
PG_COMMENT = ("(to_tsvector('french', text) || to_tsvector('english', text) "
              "|| to_tsvector('simple', author))")
PG_TITLE = ("(to_tsvector('french', coalesce(title, '')) "
            "|| to_tsvector('english', coalesce(title, '')))")
PG_QUERY = ("(to_tsquery('french', :{name}) || to_tsquery('english', :{name}) "
            "|| to_tsquery('simple', :{name}))")
SQLITE_TRIGGERS = tuple(f"{table}_search_{when}" for table in ("comment", "thread")
                        for when in ("insert", "delete", "update"))

_comment_fts = table("comment_search", column("rowid", Integer))
_thread_fts = table("thread_search", column("rowid", Integer))


class BadQuery(ValueError):
    """A query that cannot be searched; ``code`` says why (``too_long``, ``no_word``)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def words(query: str) -> list[str]:
    """The words searched for (at most ``MAX_WORDS``, lower case); BadQuery when the query
    is longer than ``MAX_LENGTH`` characters or has no word."""
    if len(query) > MAX_LENGTH:
        raise BadQuery("too_long")
    found = [w.lower() for w in WORD.findall(query)][:MAX_WORDS]
    if not found:
        raise BadQuery("no_word")
    return found


def thread_match(dialect: str, query: str) -> ColumnElement:
    """A condition on ``Thread.id``: a comment of the thread (its text or its author) or
    the thread's title holds every word of ``query``. BadQuery as in ``words``."""
    found = words(query)
    if dialect == "postgresql":
        tsquery = " & ".join(f"{w}:*" for w in found)
        comments = select(Comment.thread_id).where(
            text(f"{PG_COMMENT} @@ {PG_QUERY.format(name='search_c')}")
            .bindparams(search_c=tsquery))
        titles = select(Thread.id).where(
            text(f"{PG_TITLE} @@ {PG_QUERY.format(name='search_t')}")
            .bindparams(search_t=tsquery))
        return or_(Thread.id.in_(comments), Thread.id.in_(titles))
    fts = " ".join('"' + w.replace('"', '""') + '"*' for w in found)
    hits = select(_comment_fts.c.rowid).where(
        text("comment_search MATCH :search_c").bindparams(search_c=fts))
    titles = select(_thread_fts.c.rowid).where(
        text("thread_search MATCH :search_t").bindparams(search_t=fts))
    comments = select(Comment.thread_id).where(Comment.id.in_(hits))
    return or_(Thread.id.in_(comments), Thread.id.in_(titles))
