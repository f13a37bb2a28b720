"""moderator tools: assignments, notes, the state before each action (undo), and an
index of the audit log by thread, and of the comments by author

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'thread_assignments',
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('moderator_id', sa.Integer(), nullable=False),
        sa.Column('assigned_by', sa.String(length=120), nullable=False),
        sa.Column('assigned_at', UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], ondelete='CASCADE',
                                name=op.f('fk_thread_assignments_thread_id_threads')),
        sa.ForeignKeyConstraint(['moderator_id'], ['moderators.id'], ondelete='CASCADE',
                                name=op.f('fk_thread_assignments_moderator_id_moderators')),
        sa.PrimaryKeyConstraint('thread_id', name=op.f('pk_thread_assignments')))
    op.create_index(op.f('ix_thread_assignments_moderator_id'), 'thread_assignments',
                    ['moderator_id'])
    op.create_table(
        'thread_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('author', sa.String(length=100), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], ondelete='CASCADE',
                                name=op.f('fk_thread_notes_thread_id_threads')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_thread_notes')))
    op.create_index(op.f('ix_thread_notes_thread_id'), 'thread_notes', ['thread_id'])
    op.create_table(
        'moderation_snapshots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('actor', sa.String(length=120), nullable=False),
        sa.Column('action', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('state', sa.JSON(), nullable=False),
        sa.Column('created_at', UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], ondelete='CASCADE',
                                name=op.f('fk_moderation_snapshots_thread_id_threads')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_snapshots')))
    op.create_index(op.f('ix_moderation_snapshots_thread_id'), 'moderation_snapshots',
                    ['thread_id'])
    op.create_index('ix_audit_log_platform_target', 'audit_log', ['platform_id', 'target'])
    op.create_index('ix_comments_author', 'comments', ['author'])


def downgrade() -> None:
    op.drop_index('ix_comments_author', table_name='comments')
    op.drop_index('ix_audit_log_platform_target', table_name='audit_log')
    for table in ('moderation_snapshots', 'thread_notes', 'thread_assignments'):
        op.drop_table(table)
