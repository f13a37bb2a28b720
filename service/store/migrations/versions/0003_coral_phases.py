"""coral phases

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('coral_phases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.String(length=128), nullable=False),
    sa.Column('previous_secret', sa.String(length=128), nullable=True),
    sa.Column('previous_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('threshold', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rotated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'],
                            name=op.f('fk_coral_phases_platform_id_platforms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coral_phases')),
    sa.UniqueConstraint('platform_id', name=op.f('uq_coral_phases_platform_id'))
    )


def downgrade() -> None:
    op.drop_table('coral_phases')
