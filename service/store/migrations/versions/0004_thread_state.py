"""thread state: a version per thread, the analysis state carried to the next comments

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('threads') as batch:
        batch.add_column(sa.Column('version', sa.Integer(), server_default='0',
                                   nullable=False))
    op.create_table('thread_states',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('model_version', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('scalars', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], ondelete='CASCADE',
                            name=op.f('fk_thread_states_thread_id_threads')),
    sa.PrimaryKeyConstraint('thread_id', name=op.f('pk_thread_states'))
    )
    op.create_table('thread_state_items',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], ondelete='CASCADE',
                            name=op.f('fk_thread_state_items_thread_id_threads')),
    sa.PrimaryKeyConstraint('thread_id', 'key', name=op.f('pk_thread_state_items'))
    )


def downgrade() -> None:
    op.drop_table('thread_state_items')
    op.drop_table('thread_states')
    with op.batch_alter_table('threads') as batch:
        batch.drop_column('version')
