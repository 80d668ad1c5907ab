"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 06:04:52.581078
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_tokens',
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('cadre_id', sa.String(length=64), nullable=True),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('token_sha256')
    )
    op.create_table('case_events',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('event_id', sa.String(length=80), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=24), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source_event_id', sa.String(length=64), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'seq', name='uq_case_events_case_seq'),
    sa.UniqueConstraint('event_id')
    )
    op.create_index('ix_case_events_unpublished', 'case_events', ['id'], unique=False, postgresql_where=sa.text('published_at is null'))
    op.create_table('cases',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('tracking_code', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('source_topic', sa.String(length=255), nullable=False),
    sa.Column('source_event_id', sa.String(length=64), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('urgency', sa.String(length=8), server_default='normal', nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('owner_cadre_id', sa.String(length=64), nullable=False),
    sa.Column('handler_cadre_id', sa.String(length=64), nullable=False),
    sa.Column('escalation_level', sa.Integer(), server_default='0', nullable=False),
    sa.Column('deadlines', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('next_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('routing', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('petitioner', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('accused', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('event', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('state', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('case_id'),
    sa.UniqueConstraint('source_topic', 'source_event_id', name='uq_cases_source_event'),
    sa.UniqueConstraint('tracking_code')
    )
    op.create_index('ix_cases_open_due', 'cases', ['next_due_at'], unique=False, postgresql_where=sa.text("status <> 'closed'"))
    op.create_index('ix_cases_owner_due', 'cases', ['owner_cadre_id', 'next_due_at'], unique=False)
    op.create_index('ix_cases_source_event_id', 'cases', ['source_event_id'], unique=False)
    op.create_index('ix_cases_village_status', 'cases', ['village_code', 'status'], unique=False)
    op.create_table('dead_letters',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('topic', sa.String(length=255), nullable=False),
    sa.Column('partition', sa.Integer(), nullable=False),
    sa.Column('offset', sa.BigInteger(), nullable=False),
    sa.Column('key', sa.LargeBinary(), nullable=True),
    sa.Column('value', sa.LargeBinary(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('replayed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('value_sha256', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('topic', 'value_sha256', name='uq_dead_letters_topic_value')
    )
    op.create_table('roster_snapshots',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('document', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('whereabouts',
    sa.Column('cadre_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('cadre_id')
    )


def downgrade() -> None:
    op.drop_table('whereabouts')
    op.drop_table('roster_snapshots')
    op.drop_table('dead_letters')
    op.drop_index('ix_cases_village_status', table_name='cases')
    op.drop_index('ix_cases_source_event_id', table_name='cases')
    op.drop_index('ix_cases_owner_due', table_name='cases')
    op.drop_index('ix_cases_open_due', table_name='cases', postgresql_where=sa.text("status <> 'closed'"))
    op.drop_table('cases')
    op.drop_index('ix_case_events_unpublished', table_name='case_events', postgresql_where=sa.text('published_at is null'))
    op.drop_table('case_events')
    op.drop_table('api_tokens')
