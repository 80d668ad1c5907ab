"""Whether the escalation scheduler has anything to claim, asked without a transaction (issue
12): one statement on an autocommit connection probes both `next_check_at` indexes, so an idle
tick costs a check-out and one round trip instead of a transaction's five (pre-ping, `BEGIN`,
two claims, `ROLLBACK`). It only says whether to open the unit of work: a case that falls due
just after is found by the next tick, and the claim itself still locks (`SKIP LOCKED`)."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import ScalarSelect, Table, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.db.tables import cases, supervision_items


# The same predicate and order as each claim (`SqlCases.claim_due`, `SqlSupervisionItems.claim_due`),
# so each probe is the claim's own plan: the first entry of the partial `next_check_at` index.
def _first_due(table: Table) -> ScalarSelect[Any]:
    return (select(table.c.next_check_at).where(table.c.next_check_at <= bindparam("now"))
            .order_by(table.c.next_check_at).limit(1).scalar_subquery())


_ANYTHING_DUE = select(or_(_first_due(cases).is_not(None), _first_due(supervision_items).is_not(None)))


def due_probe(engine: AsyncEngine, clock: Callable[[], datetime]) -> Callable[[], Awaitable[bool]]:
    """The probe, reading `clock` (the units of work's) before it asks: whatever it finds due,
    the unit of work opened after it, reading the clock later, finds due too."""
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")

    async def anything_due() -> bool:
        now = clock()
        async with autocommit.connect() as conn:
            return bool((await conn.execute(_ANYTHING_DUE, {"now": now})).scalar())

    return anything_due
