"""the desk: what the petitioner said beyond the summary, who entered it, unsatisfied callbacks

Revision ID: 0010_desk
Revises: 0009_conflict
"""
from alembic import op
import sqlalchemy as sa

revision = "0010_desk"
down_revision = "0009_conflict"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("details", sa.Text(), nullable=True))
    op.add_column("cases", sa.Column("registered_by", sa.String(length=64), nullable=True))
    op.add_column("cases", sa.Column("unsatisfied_count", sa.Integer(), server_default=sa.text("0"), nullable=False))
    op.execute("update cases set details = event->>'details', registered_by = coalesce(event->>'operator_id', "
               "event->>'author_cadre_id', event->>'card_cadre_id', event->>'receiving_cadre_id'), "
               "unsatisfied_count = coalesce((state->>'unsatisfied_count')::int, 0)")


def downgrade() -> None:
    op.drop_column("cases", "unsatisfied_count")
    op.drop_column("cases", "registered_by")
    op.drop_column("cases", "details")
