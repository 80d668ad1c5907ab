"""inbox arms: a cadre's cases in the inbox's order, one index per column that makes a case theirs

The inbox (`CaseFilter.mine`: owner, handler, escalated to, acting for the recipient) was a
BitmapOr of the cadre indexes and a sort of all the cadre's matching cases, so its cost grew
with the cadre's load. Each index here serves one arm of `case_queries._inbox_keys` in the
order `next_due_at nulls last, case_id`, open and closed cases apart (`is_open` second: the
default inbox reads open cases only, and closed cases, which have no deadline, would
otherwise sit among the open ones without one). Plain index builds: one pass over the table
each, no row rewritten.

Revision ID: 0015_inbox_arms
Revises: 0014_rate_facts
"""
from alembic import op

revision = "0015_inbox_arms"
down_revision = "0014_rate_facts"
branch_labels = None
depends_on = None

_COLUMNS = ("owner_cadre_id", "handler_cadre_id", "escalated_to_cadre_id", "escalation_acting_cadre_id")


def _name(column: str) -> str:
    return f"ix_cases_{column.removesuffix('_cadre_id')}_inbox"


def upgrade() -> None:
    for column in _COLUMNS:
        where = f" where {column} is not null" if column.startswith("escalat") else ""
        op.execute(f"create index {_name(column)} on cases ({column}, is_open, next_due_at, case_id){where}")


def downgrade() -> None:
    for column in reversed(_COLUMNS):
        op.drop_index(_name(column), table_name="cases")
