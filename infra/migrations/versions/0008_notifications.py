"""notifications: in-app rows, per-channel deliveries, the attempt log, dead letters,
preferences and the notifier's cursors (issue 13)

Revision ID: 0008_notifications
Revises: 0007_reports
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0008_notifications"
down_revision = "0007_reports"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("notification_id", sa.String(36), primary_key=True),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("recipient_cadre_id", sa.String(64)),
        sa.Column("case_id", sa.String(36)),
        sa.Column("tracking_code", sa.String(16)),
        sa.Column("village_code", sa.String(12)),
        sa.Column("category", sa.String(32)),
        sa.Column("due_at", _TS),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("source_event_id", sa.String(200), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("read_at", _TS),
    )
    op.create_index("ix_notifications_recipient", "notifications", ["recipient_cadre_id", "created_at"])
    op.create_index("ix_notifications_unread", "notifications", ["recipient_cadre_id"],
                    postgresql_where=sa.text("read_at is null"))
    op.create_index("ix_notifications_case", "notifications", ["case_id"])
    op.create_table(
        "notification_deliveries",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("notification_id", sa.String(36), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address", sa.Text()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_attempt_at", _TS, nullable=False),
        sa.Column("lease_until", _TS),
        sa.Column("last_error", sa.Text()),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("sent_at", _TS),
        sa.UniqueConstraint("notification_id", "channel", name="uq_notification_deliveries_channel"),
    )
    op.create_index("ix_notification_deliveries_due", "notification_deliveries", ["channel", "next_attempt_at"],
                    postgresql_where=sa.text("status in ('pending', 'sending')"))
    op.create_table(
        "notification_attempts",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("delivery_id", sa.BigInteger(), nullable=False),
        sa.Column("notification_id", sa.String(36), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("started_at", _TS, nullable=False),
        sa.Column("finished_at", _TS),
        sa.Column("outcome", sa.String(16)),
        sa.Column("error", sa.Text()),
    )
    op.create_index("ix_notification_attempts_delivery", "notification_attempts", ["delivery_id"])
    op.create_index("ix_notification_attempts_started", "notification_attempts", ["started_at"])
    op.create_table(
        "notification_dead_letters",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("delivery_id", sa.BigInteger(), nullable=False),
        sa.Column("notification_id", sa.String(36), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("dead_at", _TS, nullable=False),
        sa.Column("resent_at", _TS),
    )
    op.create_index("ix_notification_dead_letters_pending", "notification_dead_letters", ["dead_at"],
                    postgresql_where=sa.text("resent_at is null"))
    op.create_table(
        "notification_preferences",
        sa.Column("cadre_id", sa.String(64), primary_key=True),
        sa.Column("channels", postgresql.JSONB(), nullable=False),
        sa.Column("quiet_hours", sa.Boolean(), nullable=False),
        sa.Column("email", sa.Text()),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("updated_by", sa.String(64)),
    )
    op.create_table(
        "notify_cursors",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("position", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )


def downgrade() -> None:
    for table in ("notify_cursors", "notification_preferences", "notification_dead_letters",
                  "notification_attempts", "notification_deliveries", "notifications"):
        op.drop_table(table)
