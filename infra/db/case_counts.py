"""The case counts: how many cases each village — and each cadre, per village — has in each
status, escalated or not (`case_counts`), kept by the transaction that changes the cases.

A case is counted once in its village's cell (`cadre_id` ''), and once in the cell of each
distinct cadre whose reach it is in (owner, handler, escalated-to, acting for the
escalation recipient): exactly the arms of `case_queries._reach`, so a scope's counts are a
sum of cells. Who may not see a case (confidentiality) and what is overdue (the clock) are
not in the cells: `SqlCaseReader.counts` takes them from the cases themselves, by index.

Every writer of `cases` keeps the cells: `SqlCases` gathers the changes of a transaction
(`CountChanges`) and applies them, summed per cell, in the cells' sorted order, just before
the commit (so two transactions take the cells' row locks in the same order and never
deadlock on them, and after every case row lock of the transaction). Bulk loaders insert
cases and then `rebuild` (or run `REBUILD`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.tables import case_counts

Cell = tuple[str, str, str, bool]  # cadre_id ('' = the whole village), village_code, status, escalated
_CADRES = ("owner_cadre_id", "handler_cadre_id", "escalated_to_cadre_id", "escalation_acting_cadre_id")
_PER_STATEMENT = 5000  # 5 parameters a row, under PostgreSQL's 32,767


def cells(row: Mapping[str, Any]) -> list[Cell]:
    """The cells a stored case (its `counted_columns`) is counted in."""
    village, status, escalated = row["village_code"], row["status"], row["escalation_level"] > 0
    cadres = sorted({row.get(name) or "" for name in _CADRES} - {""})
    return [("", village, status, escalated)] + [(cadre, village, status, escalated) for cadre in cadres]


class CountChanges:
    """What one transaction changes in the counts, summed per cell."""

    def __init__(self) -> None:
        self._delta: Counter[Cell] = Counter()

    def add(self, row: Mapping[str, Any], sign: int = 1) -> None:
        for cell in cells(row):
            self._delta[cell] += sign

    def move(self, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
        self.add(before, -1)
        self.add(after)

    async def apply(self, conn: AsyncConnection) -> None:
        changed = sorted((cell, n) for cell, n in self._delta.items() if n)
        self._delta.clear()
        for start in range(0, len(changed), _PER_STATEMENT):
            rows = [{"cadre_id": c, "village_code": v, "status": s, "escalated": e, "n": n}
                    for (c, v, s, e), n in changed[start:start + _PER_STATEMENT]]
            statement = insert(case_counts).values(rows)
            await conn.execute(statement.on_conflict_do_update(
                index_elements=[case_counts.c.cadre_id, case_counts.c.village_code, case_counts.c.status,
                                case_counts.c.escalated],
                set_={"n": case_counts.c.n + statement.excluded.n}))


async def count_inserted(conn: AsyncConnection, rows: Iterable[Mapping[str, Any]]) -> None:
    """For code that inserts case rows itself (fixtures): count them at once."""
    changes = CountChanges()
    for row in rows:
        changes.add(row)
    await changes.apply(conn)


# The cells recounted from the cases: what `rebuild` stores and what the tests hold the kept
# cells to (migration 0013 backfilled the table with the same query).
RECOUNT = """
    select cadre_id, village_code, status, escalated, count(*) as n
    from (select '' as cadre_id, village_code, status, escalation_level > 0 as escalated from cases
          union all
          select a.cadre_id, c.village_code, c.status, c.escalation_level > 0
          from cases c cross join lateral (
              select distinct v.cadre_id
              from (values (c.owner_cadre_id), (c.handler_cadre_id), (c.escalated_to_cadre_id),
                           (c.escalation_acting_cadre_id)) as v (cadre_id)
              where coalesce(v.cadre_id, '') <> '') as a) as counted
    group by cadre_id, village_code, status, escalated"""


# Every cell recounted, for a loader that inserted cases itself (run them in one transaction).
REBUILD = ("lock table case_counts in exclusive mode", "delete from case_counts",
           f"insert into case_counts (cadre_id, village_code, status, escalated, n) {RECOUNT}")


async def rebuild(conn: AsyncConnection) -> None:
    for statement in REBUILD:
        await conn.execute(text(statement))
