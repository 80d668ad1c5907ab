"""keyset pages: indexes in the order of the case lists

A list of cases is ordered newest first (`created_at desc, case_id`) and pages continue after
the last key seen (`infra.services.paging`). Without an index in that order every page —
the first too — was a scan of the whole table and a top-N sort (2.5 s at a million cases),
and a deep OFFSET sorted and discarded every row before it (7 s at offset 10,000). With it,
a page reads its own rows from the index at any depth. The same order within one village
(the lists' village filter, the village cadres' scope).

Revision ID: 0012_keyset_pages
Revises: 0011_security
"""
from alembic import op
import sqlalchemy as sa

revision = "0012_keyset_pages"
down_revision = "0011_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_newest", "cases", [sa.text("created_at DESC"), "case_id"], unique=False)
    op.create_index("ix_cases_village_newest", "cases", ["village_code", sa.text("created_at DESC"), "case_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_cases_village_newest", table_name="cases")
    op.drop_index("ix_cases_newest", table_name="cases")
