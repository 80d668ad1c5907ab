"""escalation writes: drop the two `cases` indexes that are exact prefixes of the inbox arms

No update of a case is HOT (every escalation moves `next_check_at` and
`escalated_to_cadre_id`, every change `updated_at`, all indexed), so each write of a row
inserts an entry into every index whose predicate it meets — 20 per escalation before this
migration (issue 12: `EXPLAIN (ANALYZE, BUFFERS, WAL)` of the scheduler's `UPDATE`, 22
WAL records per row: the heap, 20 index entries, page splits). Two of those indexes say
nothing the inbox arms of 0015 do not: `ix_cases_escalated_to
(escalated_to_cadre_id) where … is not null` and `ix_cases_escalation_acting
(escalation_acting_cadre_id) where … is not null` are exact prefixes of
`ix_cases_escalated_to_inbox` and `ix_cases_escalation_acting_inbox`, with the same predicate,
so any PostgreSQL serves their look-ups from the longer index.

Not dropped, though the inbox arms start with the same cadre: `ix_cases_owner_due`
and `ix_cases_handler_due` (cadre, next_due_at). The inbox arms put `is_open` between the
cadre and `next_due_at`, so only PostgreSQL 18's skip scan reads them as a range by
deadline; deployments run PostgreSQL 17 (deploy/), which would scan the cadre's whole
history instead. The two dropped are one fewer entry per escalation (two when a backup acts)
and per other write of an escalated case.

Revision ID: 0016_escalation_writes
Revises: 0015_inbox_arms
"""
from alembic import op
import sqlalchemy as sa

revision = "0016_escalation_writes"
down_revision = "0015_inbox_arms"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_cases_escalated_to", table_name="cases")
    op.drop_index("ix_cases_escalation_acting", table_name="cases")


def downgrade() -> None:
    op.create_index("ix_cases_escalation_acting", "cases", ["escalation_acting_cadre_id"],
                    postgresql_where=sa.text("escalation_acting_cadre_id is not null"))
    op.create_index("ix_cases_escalated_to", "cases", ["escalated_to_cadre_id"],
                    postgresql_where=sa.text("escalated_to_cadre_id is not null"))
