"""Changing a stored case: load the aggregate, let the domain apply an action, save the
new projection and the events it raised — in one transaction, so the outbox
(`case_events`) and the case never disagree."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infra.db.case_rows import case_columns, event_rows
from infra.db.case_state import event_from_row, from_state
from infra.db.tables import case_events, cases
from models.case import Case


class CaseNotFound(LookupError):
    def __init__(self, case_id: str) -> None:
        super().__init__(f"no case {case_id}")
        self.case_id = case_id


class CaseChangedMeanwhile(RuntimeError):
    """The row's version moved under us: someone else changed the case first."""


async def load_cases(conn: AsyncConnection, case_ids: Sequence[str], *, lock: bool = False,
                     history: bool = True) -> dict[str, Case]:
    """The aggregates, with their full event history or (`history=False`) only its length."""
    query = select(cases.c.case_id, cases.c.state, cases.c.version).where(cases.c.case_id.in_(case_ids))
    rows = (await conn.execute(query.with_for_update() if lock else query)).all()
    if not history:
        return {row.case_id: from_state(row.state, (), row.version) for row in rows}
    loaded: dict[str, list[Any]] = {row.case_id: [] for row in rows}
    events = await conn.execute(select(case_events).where(case_events.c.case_id.in_(list(loaded)))
                                .order_by(case_events.c.case_id, case_events.c.seq))
    for event in events:
        loaded[event.case_id].append(event_from_row(dict(event._mapping)))
    return {row.case_id: from_state(row.state, tuple(loaded[row.case_id])) for row in rows}


async def save_case(conn: AsyncConnection, before: Case, after: Case, *, checked_at: datetime | None = None) -> None:
    columns = case_columns(after, checked_at=checked_at)
    columns.pop("case_id")
    updated = await conn.execute(cases.update()
                                 .where(cases.c.case_id == after.case_id, cases.c.version == before.version)
                                 .values(**columns))
    if updated.rowcount != 1:
        raise CaseChangedMeanwhile(f"case {after.case_id} changed meanwhile; try again")
    new_events = event_rows(after.events_since(before.version))
    if new_events:
        await conn.execute(case_events.insert(), list(new_events))


async def save_locked_cases(conn: AsyncConnection, changes: Sequence[tuple[Case, Case]], *,
                            checked_at: datetime | None = None) -> None:
    """Store many changed cases at once. The caller holds their row locks (loaded with
    `lock=True`, or claimed FOR UPDATE, in this transaction), so no version check is needed."""
    if not changes:
        return
    rows = []
    for _, after in changes:
        columns = case_columns(after, checked_at=checked_at)
        columns["key"] = columns.pop("case_id")
        rows.append(columns)
    names = [name for name in rows[0] if name != "key"]
    statement = (cases.update().where(cases.c.case_id == bindparam("key"))
                 .values({name: bindparam(name) for name in names}))
    await conn.execute(statement, rows)
    new_events = [row for before, after in changes for row in event_rows(after.events_since(before.version))]
    if new_events:
        await conn.execute(case_events.insert(), new_events)


async def change_case(engine: AsyncEngine, case_id: str, change: Callable[[Case], Case]) -> Case:
    """Apply `change` (which raises a DomainError to refuse) under a row lock and store it."""
    async with engine.begin() as conn:
        found = await load_cases(conn, [case_id], lock=True)
        if case_id not in found:
            raise CaseNotFound(case_id)
        before = found[case_id]
        after = change(before)
        await save_case(conn, before, after)
    return after
