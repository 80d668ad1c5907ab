"""scope indexes: escalated_to_cadre_id projected, handler and escalation indexes

A cadre's scope is owner OR handler OR escalated-to; with the last read from the JSON state
no index could serve it, and every inbox scanned the whole table.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("escalated_to_cadre_id", sa.String(length=64), nullable=True))
    op.execute("update cases set escalated_to_cadre_id = state->>'escalated_to_cadre_id' "
               "where state->>'escalated_to_cadre_id' is not null")
    op.create_index("ix_cases_handler_due", "cases", ["handler_cadre_id", "next_due_at"], unique=False)
    op.create_index("ix_cases_escalated_to", "cases", ["escalated_to_cadre_id"], unique=False,
                    postgresql_where=sa.text("escalated_to_cadre_id is not null"))


def downgrade() -> None:
    op.drop_index("ix_cases_escalated_to", table_name="cases", postgresql_where=sa.text("escalated_to_cadre_id is not null"))
    op.drop_index("ix_cases_handler_due", table_name="cases")
    op.drop_column("cases", "escalated_to_cadre_id")
