"""service layer: the domain's answers stored for SQL (due stage, warning start, open), one
pending extension request per case

Revision ID: 0005_service_layer
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_service_layer"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("due_stage", sa.String(length=24), nullable=True))
    op.add_column("cases", sa.Column("warn_from", sa.DateTime(timezone=True), nullable=True))
    op.add_column("cases", sa.Column("is_open", sa.Boolean(), server_default=sa.text("true"), nullable=False))
    _backfill()
    op.create_index("ix_cases_village_open", "cases", ["village_code"], unique=False,
                    postgresql_where=sa.text("is_open"))
    # a duplicate pending request left by the race this index closes: keep the oldest
    op.execute("update extension_requests set status = 'refused', note = 'duplicate pending request' "
               "where status = 'pending' and id not in (select min(id) from extension_requests "
               "where status = 'pending' group by case_id)")
    op.create_index("uq_extension_requests_pending", "extension_requests", ["case_id"], unique=True,
                    postgresql_where=sa.text("status = 'pending'"))


def _backfill() -> None:
    """The new columns are the domain's answers: ask the domain, case by case."""
    from infra.db.case_rows import case_columns
    from infra.db.case_state import from_state

    bind = op.get_bind()
    from sqlalchemy.dialects.postgresql import JSONB

    query = sa.text("select case_id, state, version from cases").columns(
        sa.column("case_id", sa.String), sa.column("state", JSONB), sa.column("version", sa.Integer))
    rows = bind.execute(query).all()
    for case_id, state, version in rows:
        columns = case_columns(from_state(state, (), version))
        bind.execute(sa.text("update cases set due_stage = :stage, warn_from = :warn, is_open = :open "
                             "where case_id = :id"),
                     {"stage": columns["due_stage"], "warn": columns["warn_from"], "open": columns["is_open"],
                      "id": case_id})


def downgrade() -> None:
    op.drop_index("uq_extension_requests_pending", table_name="extension_requests",
                  postgresql_where=sa.text("status = 'pending'"))
    op.drop_index("ix_cases_village_open", table_name="cases", postgresql_where=sa.text("is_open"))
    op.drop_column("cases", "is_open")
    op.drop_column("cases", "warn_from")
    op.drop_column("cases", "due_stage")
