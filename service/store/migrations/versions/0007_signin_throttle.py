"""sign-in throttle counters

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 18:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sign_in_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_throttle'))
    )
    op.create_index(op.f('ix_sign_in_throttle_window_start'), 'sign_in_throttle',
                    ['window_start'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sign_in_throttle_window_start'), table_name='sign_in_throttle')
    op.drop_table('sign_in_throttle')
