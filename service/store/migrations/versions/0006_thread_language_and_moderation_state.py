"""thread language and moderation state

Adds the thread's detected language (the client's hint stays in ``language``), the health a
moderator last acted on and why the review state last moved; fills the first two in for
the threads already stored.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

from collections import Counter
from itertools import groupby

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

threads = sa.table('threads', sa.column('id', sa.Integer), sa.column('score', sa.Integer),
                   sa.column('level', sa.String), sa.column('review_state', sa.String),
                   sa.column('detected_language', sa.String),
                   sa.column('decision_score', sa.Integer),
                   sa.column('decision_level', sa.String))
comments = sa.table('comments', sa.column('thread_id', sa.Integer),
                    sa.column('position', sa.Integer), sa.column('prediction', sa.JSON))


def _dominant(predictions) -> str | None:
    """As service/services/thread_language.py decided it when this migration was written;
    None for a thread with no analysed comment."""
    counts = Counter(p.get('language') for p in predictions if p)
    ranked = [lang for lang, _ in counts.most_common() if lang in ('fr', 'en')]
    return (ranked[0] if ranked else 'other') if counts else None


def upgrade() -> None:
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detected_language', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('decision_score', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decision_level', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('review_reason', sa.JSON(), nullable=True))

    bind = op.get_bind()
    rows = bind.execute(sa.select(comments.c.thread_id, comments.c.prediction)
                        .order_by(comments.c.thread_id, comments.c.position))
    found = {tid: _dominant(p for _, p in group)
             for tid, group in groupby(rows, key=lambda row: row[0])}
    for tid, language in found.items():
        if language is None:
            continue
        bind.execute(threads.update().where(threads.c.id == tid)
                     .values(detected_language=language))
    # A thread a moderator closed before this revision: what they saw is its current health.
    bind.execute(threads.update().where(threads.c.review_state != 'open',
                                        threads.c.level.is_not(None))
                 .values(decision_score=threads.c.score, decision_level=threads.c.level))


def downgrade() -> None:
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_column('review_reason')
        batch_op.drop_column('decision_level')
        batch_op.drop_column('decision_score')
        batch_op.drop_column('detected_language')
