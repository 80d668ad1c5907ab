"""conflict of interest: who may not read a case (hidden_from), the backup acting for an
escalation recipient who is away; imported holiday schedules and provisional deadlines

Revision ID: 0009_conflict
Revises: 0008_notifications
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0009_conflict"
down_revision = "0008_notifications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("hidden_from", postgresql.JSONB(astext_type=sa.Text()),
                                     server_default=sa.text("'[]'::jsonb"), nullable=False))
    op.add_column("cases", sa.Column("escalation_acting_cadre_id", sa.String(length=64), nullable=True))
    op.add_column("cases", sa.Column("deadlines_provisional", sa.Boolean(), server_default=sa.text("false"),
                                     nullable=False))
    op.create_table(
        "calendar_schedules",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("document", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", "kind"),
    )
    _backfill()
    op.create_index("ix_cases_escalation_acting", "cases", ["escalation_acting_cadre_id"], unique=False,
                    postgresql_where=sa.text("escalation_acting_cadre_id is not null"))


def _backfill() -> None:
    """The domain decides who is excluded and what was counted provisionally: ask it, case by case."""
    import json

    from infra.db.case_rows import case_columns
    from infra.db.case_state import from_state

    bind = op.get_bind()
    query = sa.text("select case_id, state, version from cases").columns(
        sa.column("case_id", sa.String), sa.column("state", postgresql.JSONB), sa.column("version", sa.Integer))
    for case_id, state, version in bind.execute(query).all():
        columns = case_columns(from_state(state, (), version))
        bind.execute(sa.text("update cases set hidden_from = cast(:hidden as jsonb), "
                             "deadlines_provisional = :provisional where case_id = :id"),
                     {"hidden": json.dumps(columns["hidden_from"]), "provisional": columns["deadlines_provisional"],
                      "id": case_id})


def downgrade() -> None:
    op.drop_index("ix_cases_escalation_acting", table_name="cases",
                  postgresql_where=sa.text("escalation_acting_cadre_id is not null"))
    op.drop_table("calendar_schedules")
    op.drop_column("cases", "deadlines_provisional")
    op.drop_column("cases", "escalation_acting_cadre_id")
    op.drop_column("cases", "hidden_from")
