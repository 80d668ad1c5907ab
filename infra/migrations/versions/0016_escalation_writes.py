"""escalation writes: drop the four `cases` indexes that are prefixes of the inbox arms

No update of a case is HOT (every escalation moves `next_check_at` and
`escalated_to_cadre_id`, every change `updated_at`, all indexed), so each write of a row
inserts an entry into every index whose predicate it meets — 20 per escalation before this
migration (issue 12: `EXPLAIN (ANALYZE, BUFFERS, WAL)` of the scheduler's `UPDATE`, 22
WAL records per row: the heap, 20 index entries, page splits). Four of those indexes say nothing the inbox arms of 0015 do not:

* `ix_cases_escalated_to (escalated_to_cadre_id) where … is not null` and
  `ix_cases_escalation_acting (escalation_acting_cadre_id) where … is not null` are exact
  prefixes of `ix_cases_escalated_to_inbox` and `ix_cases_escalation_acting_inbox`, with
  the same predicate;
* `ix_cases_owner_due (owner_cadre_id, next_due_at)` and `ix_cases_handler_due
  (handler_cadre_id, next_due_at)` are served by `ix_cases_{owner,handler}_inbox
  (column, is_open, next_due_at, case_id)`: an equality on the cadre is the same prefix, and
  `next_due_at` a condition inside the index (on PostgreSQL 18 a skip scan over `is_open`'s
  two values; on 17 a scan of the cadre's entries, bounded by their load).

Dropping them is three fewer index entries per escalation (the acting one is met only when
a backup acts) and two fewer per any other case write.

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
    op.drop_index("ix_cases_owner_due", table_name="cases")
    op.drop_index("ix_cases_handler_due", table_name="cases")


def downgrade() -> None:
    op.create_index("ix_cases_handler_due", "cases", ["handler_cadre_id", "next_due_at"])
    op.create_index("ix_cases_owner_due", "cases", ["owner_cadre_id", "next_due_at"])
    op.create_index("ix_cases_escalation_acting", "cases", ["escalation_acting_cadre_id"],
                    postgresql_where=sa.text("escalation_acting_cadre_id is not null"))
    op.create_index("ix_cases_escalated_to", "cases", ["escalated_to_cadre_id"],
                    postgresql_where=sa.text("escalated_to_cadre_id is not null"))
