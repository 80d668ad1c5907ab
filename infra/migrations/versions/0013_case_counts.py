"""case counts: a summary per village (and per cadre and village) of the cases in each status,
escalated or not, kept by the transaction that changes the cases; indexes for what counts
take from the cases themselves (overdue now, cases hidden from an accused reader)

The backfill is one set-based statement (a few seconds per million cases); migrations run
before the application starts, so no case changes meanwhile.

Revision ID: 0013_case_counts
Revises: 0011_security
"""
from alembic import op
import sqlalchemy as sa

revision = "0013_case_counts"
down_revision = "0012_keyset_pages"
branch_labels = None
depends_on = None

# As infra.db.case_counts.RECOUNT stood when this migration was written.
_RECOUNT = """
    insert into case_counts (cadre_id, village_code, status, escalated, n)
    select cadre_id, village_code, status, escalated, count(*)
    from (select '' as cadre_id, village_code, status, escalation_level > 0 as escalated from cases
          union all
          select a.cadre_id, c.village_code, c.status, c.escalation_level > 0
          from cases c cross join lateral (
              select distinct v.cadre_id
              from (values (c.owner_cadre_id), (c.handler_cadre_id), (c.escalated_to_cadre_id),
                           (c.escalation_acting_cadre_id)) as v (cadre_id)
              where coalesce(v.cadre_id, '') <> '') as a) as counted
    group by cadre_id, village_code, status, escalated"""


def upgrade() -> None:
    op.create_table(
        "case_counts",
        sa.Column("cadre_id", sa.String(64), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("cadre_id", "village_code", "status", "escalated"),
    )
    op.execute(_RECOUNT)
    op.create_index("ix_cases_due_village", "cases", ["village_code", "next_due_at"], postgresql_include=["is_open"],
                    postgresql_where=sa.text("next_due_at is not null"))
    op.create_index("ix_cases_accused", "cases", ["accused"], postgresql_using="gin",
                    postgresql_ops={"accused": "jsonb_path_ops"},
                    postgresql_where=sa.text("jsonb_typeof(accused) = 'object'"))
    op.create_index("ix_cases_hidden_from", "cases", ["hidden_from"], postgresql_using="gin",
                    postgresql_ops={"hidden_from": "jsonb_path_ops"},
                    postgresql_where=sa.text("hidden_from <> '[]'::jsonb"))
    op.execute("analyze case_counts")


def downgrade() -> None:
    op.drop_index("ix_cases_hidden_from", table_name="cases")
    op.drop_index("ix_cases_accused", table_name="cases")
    op.drop_index("ix_cases_due_village", table_name="cases")
    op.drop_table("case_counts")
