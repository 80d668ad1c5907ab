"""rate facts: what the three rates need of each case, stored with it, so a period's rates
are a sum over the scope's rows (an index-only scan) instead of every case's history
replayed in Python (13 s for a township's year at a million cases)

`response_due_at`, `responded_at`: the first-response deadline and answer
(`models.rates.first_response_due`, `responded_at`), from the state and the kept
`deadlines`; `callback_at`, `callback_kind`, `callback_solved`: the latest callback event
(`models.rates.latest_callback`). Set-based: one UPDATE per chunk of 50,000 case ids, from
the state and the latest `resolved`/`reopened` event (`uq_case_events_case_seq`), so no
statement holds a million row locks; migrations run before the application starts.

Revision ID: 0014_rate_facts
Revises: 0013_case_counts
"""
from alembic import op
import sqlalchemy as sa

revision = "0014_rate_facts"
down_revision = "0013_case_counts"
branch_labels = None
depends_on = None

_CHUNK = 50_000


def _time(field: str) -> str:
    """A time of the state: an RFC 3339 string, or `{"$dt": …}` in the first codec's states."""
    return f"coalesce(c.state -> '{field}' ->> '$dt', c.state ->> '{field}')::timestamptz"


# As models.rates stood when this migration was written: an on-the-spot resolution was due
# when it was accepted, any other case by the first of its first_contact, acceptance and
# handling deadlines; the latest callback is the case's last `resolved` or `reopened` event.
_BACKFILL = f"""
    update cases c set
        responded_at = coalesce({_time('accepted_at')}, {_time('declined_at')}),
        response_due_at = case when c.state ->> 'callback_result' = 'on_spot' then {_time('accepted_at')}
                               else coalesce(c.deadlines ->> 'first_contact', c.deadlines ->> 'acceptance',
                                             c.deadlines ->> 'handling')::timestamptz end,
        callback_at = e.at, callback_kind = e.kind, callback_solved = e.solved
    from cases k left join lateral (
        select at, case when data -> 'on_spot' = 'true'::jsonb then 'on_spot' else data ->> 'callback' end as kind,
               coalesce(case when data ? 'problem_solved' then data -> 'problem_solved' = 'true'::jsonb
                             else data -> 'on_spot' = 'true'::jsonb end, false) as solved
        from case_events where case_id = k.case_id and type in ('resolved', 'reopened')
        order by seq desc limit 1) as e on true
    where c.case_id = k.case_id and k.case_id > :low and k.case_id <= :high"""


def upgrade() -> None:
    for name in ("response_due_at", "responded_at", "callback_at"):
        op.add_column("cases", sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    op.add_column("cases", sa.Column("callback_kind", sa.String(16), nullable=True))
    op.add_column("cases", sa.Column("callback_solved", sa.Boolean(), nullable=True))
    bind = op.get_bind()
    low = ""
    while True:
        high = bind.execute(sa.text("select max(case_id) from (select case_id from cases where case_id > :low "
                                    "order by case_id limit :n) as chunk"), {"low": low, "n": _CHUNK}).scalar()
        if high is None:
            break
        bind.execute(sa.text(_BACKFILL), {"low": low, "high": high})
        low = high
    op.create_index("ix_cases_village_rates", "cases", ["village_code", "occurred_at"],
                    postgresql_include=["updated_at", "owner_cadre_id", "response_due_at", "responded_at",
                                        "callback_at", "callback_kind", "callback_solved"])
    op.execute("analyze cases")


def downgrade() -> None:
    op.drop_index("ix_cases_village_rates", table_name="cases")
    for name in ("callback_solved", "callback_kind", "callback_at", "responded_at", "response_due_at"):
        op.drop_column("cases", name)
