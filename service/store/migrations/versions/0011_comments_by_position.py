"""comments indexed by (thread, position) instead of by thread alone

Every read of a thread's comments is in posting order (the moderation page's outline,
the full re-analysis, the windows of a page): with the thread alone indexed, SQLite sorted
each thread's rows in a temporary B-tree on every read. The new index serves the lookups
by thread as the old one did, so the old one goes.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 00:10:00
"""

from __future__ import annotations

from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_comments_thread_position', 'comments', ['thread_id', 'position'])
    op.drop_index('ix_comments_thread_id', table_name='comments')


def downgrade() -> None:
    op.create_index('ix_comments_thread_id', 'comments', ['thread_id'])
    op.drop_index('ix_comments_thread_position', table_name='comments')
