"""full-text search over comments and thread titles

SQLite: two FTS5 tables, ``comment_search`` (text, author) over ``comments`` and
``thread_search`` (title) over ``threads``, external content tables kept in step by
triggers on every insert, update and delete (a thread's cascade delete fires them too),
then filled from the rows already stored. PostgreSQL: GIN indexes over the French and
English ``tsvector`` of the same columns (author and title also in the ``simple``
configuration), which the database keeps in step by itself.

A later migration that rebuilds ``comments`` or ``threads`` on SQLite ("move and copy" in
batch mode) drops these triggers with the old table: it must create them again
(``service/store/search.py`` names them).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 21:00:00
"""

from __future__ import annotations

from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# Kept equal to service/store/search.py (a test checks it): the query must use the very
# expression the index was built on.
PG_COMMENT = ("(to_tsvector('french', text) || to_tsvector('english', text) "
              "|| to_tsvector('simple', author))")
PG_TITLE = ("(to_tsvector('french', coalesce(title, '')) "
            "|| to_tsvector('english', coalesce(title, '')))")
TOKENIZE = "unicode61 remove_diacritics 2"

SQLITE_UP = [
    f"CREATE VIRTUAL TABLE comment_search USING fts5(text, author, content='comments', "
    f"content_rowid='id', tokenize='{TOKENIZE}')",
    "CREATE TRIGGER comment_search_insert AFTER INSERT ON comments BEGIN "
    "INSERT INTO comment_search(rowid, text, author) VALUES (new.id, new.text, new.author); "
    "END",
    "CREATE TRIGGER comment_search_delete AFTER DELETE ON comments BEGIN "
    "INSERT INTO comment_search(comment_search, rowid, text, author) "
    "VALUES ('delete', old.id, old.text, old.author); END",
    "CREATE TRIGGER comment_search_update AFTER UPDATE OF text, author ON comments BEGIN "
    "INSERT INTO comment_search(comment_search, rowid, text, author) "
    "VALUES ('delete', old.id, old.text, old.author); "
    "INSERT INTO comment_search(rowid, text, author) VALUES (new.id, new.text, new.author); "
    "END",
    "INSERT INTO comment_search(comment_search) VALUES ('rebuild')",
    f"CREATE VIRTUAL TABLE thread_search USING fts5(title, content='threads', "
    f"content_rowid='id', tokenize='{TOKENIZE}')",
    "CREATE TRIGGER thread_search_insert AFTER INSERT ON threads BEGIN "
    "INSERT INTO thread_search(rowid, title) VALUES (new.id, new.title); END",
    "CREATE TRIGGER thread_search_delete AFTER DELETE ON threads BEGIN "
    "INSERT INTO thread_search(thread_search, rowid, title) VALUES ('delete', old.id, old.title); "
    "END",
    "CREATE TRIGGER thread_search_update AFTER UPDATE OF title ON threads BEGIN "
    "INSERT INTO thread_search(thread_search, rowid, title) VALUES ('delete', old.id, old.title); "
    "INSERT INTO thread_search(rowid, title) VALUES (new.id, new.title); END",
    "INSERT INTO thread_search(thread_search) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    *(f"DROP TRIGGER IF EXISTS {table}_search_{when}" for table in ("comment", "thread")
      for when in ("insert", "delete", "update")),
    "DROP TABLE IF EXISTS comment_search",
    "DROP TABLE IF EXISTS thread_search",
]
PG_UP = [
    f"CREATE INDEX ix_comments_search ON comments USING gin ({PG_COMMENT})",
    f"CREATE INDEX ix_threads_title_search ON threads USING gin ({PG_TITLE})",
]
PG_DOWN = ["DROP INDEX IF EXISTS ix_comments_search",
           "DROP INDEX IF EXISTS ix_threads_title_search"]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    name = op.get_bind().dialect.name
    if name == 'sqlite':
        _run(SQLITE_UP)
    elif name == 'postgresql':
        _run(PG_UP)


def downgrade() -> None:
    name = op.get_bind().dialect.name
    if name == 'sqlite':
        _run(SQLITE_DOWN)
    elif name == 'postgresql':
        _run(PG_DOWN)
