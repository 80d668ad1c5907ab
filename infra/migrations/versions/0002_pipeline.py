"""pipeline: repeats, outgoing events, alerts, scheduler column

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 06:06:01.765015
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alerts',
    sa.Column('alert_id', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('leader_cadre_id', sa.String(length=64), nullable=True),
    sa.Column('petitioners', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('window_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('alert_id')
    )
    op.create_index('ix_alerts_unpublished', 'alerts', ['raised_at'], unique=False, postgresql_where=sa.text('published_at is null'))
    op.create_table('case_links',
    sa.Column('source_topic', sa.String(length=255), nullable=False),
    sa.Column('source_event_id', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('event', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('source_topic', 'source_event_id')
    )
    op.create_index(op.f('ix_case_links_case_id'), 'case_links', ['case_id'], unique=False)
    op.create_index('ix_case_links_source_event_id', 'case_links', ['source_event_id'], unique=False)
    op.create_table('outgoing_events',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('topic', sa.String(length=255), nullable=False),
    sa.Column('key', sa.LargeBinary(), nullable=True),
    sa.Column('value', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_outgoing_events_unsent', 'outgoing_events', ['id'], unique=False, postgresql_where=sa.text('sent_at is null'))
    op.add_column('cases', sa.Column('next_check_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('cases', sa.Column('petitioner_phone', sa.String(length=32), nullable=True))
    op.add_column('cases', sa.Column('petitioner_id_number', sa.String(length=32), nullable=True))
    op.create_index('ix_cases_next_check', 'cases', ['next_check_at'], unique=False, postgresql_where=sa.text('next_check_at is not null'))
    op.create_index('ix_cases_petitioner_phone', 'cases', ['petitioner_phone'], unique=False)
    op.create_index('ix_cases_matter', 'cases', ['village_code', 'category', 'occurred_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_cases_matter', table_name='cases')
    op.drop_index('ix_cases_petitioner_phone', table_name='cases')
    op.drop_index('ix_cases_next_check', table_name='cases', postgresql_where=sa.text('next_check_at is not null'))
    op.drop_column('cases', 'petitioner_id_number')
    op.drop_column('cases', 'petitioner_phone')
    op.drop_column('cases', 'next_check_at')
    op.drop_index('ix_outgoing_events_unsent', table_name='outgoing_events', postgresql_where=sa.text('sent_at is null'))
    op.drop_table('outgoing_events')
    op.drop_index('ix_case_links_source_event_id', table_name='case_links')
    op.drop_index(op.f('ix_case_links_case_id'), table_name='case_links')
    op.drop_table('case_links')
    op.drop_index('ix_alerts_unpublished', table_name='alerts', postgresql_where=sa.text('published_at is null'))
    op.drop_table('alerts')
