"""leaders' reports: 督办 items, diary summaries, top-issue picks, assessment weights,
petitions beyond the township

Revision ID: 0007_reports
Revises: 0005_service_layer
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0007_reports"
down_revision = "0005_service_layer"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supervision_items",
        sa.Column("item_id", sa.String(36), primary_key=True),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner_cadre_id", sa.String(64), nullable=False),
        sa.Column("assigned_by", sa.String(64), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("village_code", sa.String(12)),
        sa.Column("meeting_day", sa.Date()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("escalation_level", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("escalated_to_cadre_id", sa.String(64)),
        sa.Column("next_check_at", sa.DateTime(timezone=True)),
        sa.Column("state", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_supervision_items_open_due", "supervision_items", ["due_on"],
                    postgresql_where=sa.text("status <> 'closed'"))
    op.create_index("ix_supervision_items_owner", "supervision_items", ["owner_cadre_id"])
    op.create_index("ix_supervision_items_village", "supervision_items", ["village_code"])
    op.create_index("ix_supervision_items_next_check", "supervision_items", ["next_check_at"],
                    postgresql_where=sa.text("next_check_at is not null"))
    op.create_table(
        "diary_summaries",
        sa.Column("village_code", sa.String(12), primary_key=True),
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("proposals", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("digest", postgresql.JSONB(astext_type=sa.Text())),
        sa.Column("submitted_by", sa.String(64)),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("state", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_diary_summaries_period", "diary_summaries", ["period", "status"])
    op.create_table(
        "top_issue_picks",
        sa.Column("pick_id", sa.String(36), primary_key=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("keywords", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("case_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("village_codes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("picked_by", sa.String(64), nullable=False),
        sa.Column("picked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("item_id", sa.String(36), nullable=False),
        sa.UniqueConstraint("month", "label", name="uq_top_issue_picks_month_label"),
    )
    op.create_table(
        "assessment_weights",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), primary_key=True),
        sa.Column("weights", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("set_by", sa.String(64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "upward_petitions",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), primary_key=True),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("reference", sa.Text()),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_upward_petitions_village", "upward_petitions", ["village_code", "occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_upward_petitions_village", table_name="upward_petitions")
    op.drop_table("upward_petitions")
    op.drop_table("assessment_weights")
    op.drop_table("top_issue_picks")
    op.drop_index("ix_diary_summaries_period", table_name="diary_summaries")
    op.drop_table("diary_summaries")
    op.drop_index("ix_supervision_items_next_check", table_name="supervision_items",
                  postgresql_where=sa.text("next_check_at is not null"))
    op.drop_index("ix_supervision_items_village", table_name="supervision_items")
    op.drop_index("ix_supervision_items_owner", table_name="supervision_items")
    op.drop_index("ix_supervision_items_open_due", table_name="supervision_items",
                  postgresql_where=sa.text("status <> 'closed'"))
    op.drop_table("supervision_items")
