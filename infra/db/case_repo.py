"""The case aggregates in PostgreSQL: `cases.state` holds the aggregate, the other columns
are its projections (`case_rows`), `case_events` its history and the outbox of
`case.events`. Changes and their events are written in one transaction."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.case_opening import CaseOpening
from infra.db.case_counts import CountChanges
from infra.db.case_rows import case_columns, counted_columns, event_rows
from infra.db.case_state import event_from_row, from_state
from infra.db.tables import case_events, cases
from infra.services.ports import CaseChangedMeanwhile
from models.case import Case
from models.escalation import DEFAULT_ESCALATION, EscalationPolicy


async def load_cases(conn: AsyncConnection, case_ids: Sequence[str], *, lock: bool = False,
                     history: bool = True) -> dict[str, Case]:
    """The aggregates, with their full event history or (`history=False`) only its length."""
    query = select(cases.c.case_id, cases.c.state, cases.c.version).where(cases.c.case_id.in_(list(case_ids)))
    rows = (await conn.execute(query.with_for_update() if lock else query)).all()
    if not history:
        return {row.case_id: from_state(row.state, (), row.version) for row in rows}
    return await _with_history(conn, rows)


async def _with_history(conn: AsyncConnection, rows: Sequence[Any]) -> dict[str, Case]:
    loaded: dict[str, list[Any]] = {row.case_id: [] for row in rows}
    if loaded:
        events = await conn.execute(select(case_events).where(case_events.c.case_id.in_(list(loaded)))
                                    .order_by(case_events.c.case_id, case_events.c.seq))
        for event in events:
            loaded[event.case_id].append(event_from_row(dict(event._mapping)))
    return {row.case_id: from_state(row.state, tuple(loaded[row.case_id])) for row in rows}


class SqlCases:
    def __init__(self, conn: AsyncConnection, policy: EscalationPolicy = DEFAULT_ESCALATION) -> None:
        self._conn = conn
        self._policy = policy  # times the projected warning and next look
        self._counts = CountChanges()  # applied by `apply_counts`, just before the commit

    async def get(self, case_id: str) -> Case | None:
        return (await load_cases(self._conn, [case_id], lock=True)).get(case_id)

    async def get_many(self, case_ids: Sequence[str], *, history: bool = True) -> dict[str, Case]:
        return await load_cases(self._conn, sorted(set(case_ids)), lock=True, history=history)

    async def claim_due(self, now: datetime, limit: int) -> list[Case]:
        claimed = await self._conn.execute(
            select(cases.c.case_id, cases.c.state, cases.c.version).where(cases.c.next_check_at <= now)
            .order_by(cases.c.next_check_at).limit(limit).with_for_update(skip_locked=True))
        return list((await _with_history(self._conn, claimed.all())).values())

    async def add_opened(self, openings: Sequence[CaseOpening]) -> None:
        """The caller checked the source events under lock; the unique key still guards."""
        if openings:
            rows = [o.row_for(self._policy) for o in openings]
            await self._conn.execute(cases.insert(), rows)
            for row in rows:
                self._counts.add(row)
            await self._conn.execute(case_events.insert(), [e for o in openings for e in o.events])

    async def add_if_new(self, opening: CaseOpening) -> bool:
        """Insert unless the source event was already stored (then nothing is written)."""
        row = opening.row_for(self._policy)
        inserted = await self._conn.execute(
            insert(cases).values(**row).on_conflict_do_nothing(constraint="uq_cases_source_event")
            .returning(cases.c.case_id))
        if inserted.first() is None:
            return False
        self._counts.add(row)
        await self._conn.execute(case_events.insert(), list(opening.events))
        return True

    async def save(self, before: Case, after: Case, *, checked_at: datetime | None = None) -> None:
        columns = case_columns(after, checked_at=checked_at, policy=self._policy)
        columns.pop("case_id")
        updated = await self._conn.execute(
            cases.update().where(cases.c.case_id == after.case_id, cases.c.version == before.version).values(**columns))
        if updated.rowcount != 1:
            raise CaseChangedMeanwhile(f"case {after.case_id} changed meanwhile; try again")
        self._counts.move(counted_columns(before), columns)
        await self._insert_events([(before, after)])

    async def save_many(self, changes: Sequence[tuple[Case, Case]], *, checked_at: datetime | None = None,
                        policy: EscalationPolicy | None = None) -> None:
        """Many changed cases at once; they were loaded locked in this transaction, so no
        version check is needed."""
        if not changes:
            return
        rows = []
        for before, after in changes:
            columns = case_columns(after, checked_at=checked_at, policy=policy or self._policy)
            columns["key"] = columns.pop("case_id")
            rows.append(columns)
            self._counts.move(counted_columns(before), columns)
        names = [name for name in rows[0] if name != "key"]
        statement = (cases.update().where(cases.c.case_id == bindparam("key"))
                     .values({name: bindparam(name) for name in names}))
        await self._conn.execute(statement, rows)
        await self._insert_events(changes)

    async def apply_counts(self) -> None:
        """The counts changed by this transaction's writes (`infra.db.case_counts`): the unit of
        work calls it just before committing."""
        await self._counts.apply(self._conn)

    async def open_ids(self) -> list[str]:
        return list((await self._conn.execute(select(cases.c.case_id).where(cases.c.is_open))).scalars())

    async def _insert_events(self, changes: Sequence[tuple[Case, Case]]) -> None:
        new_events = [row for before, after in changes for row in event_rows(after.events_since(before.version))]
        if new_events:
            await self._conn.execute(case_events.insert(), new_events)
