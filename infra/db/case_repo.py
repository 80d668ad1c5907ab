"""The case aggregates in PostgreSQL: `cases.state` holds the aggregate, the other columns
are its projections (`case_rows`), `case_events` its history and the outbox of
`case.events`. Changes and their events are written in one transaction."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import Boolean, Column, DateTime, Integer, String, Text, TextClause, cast, select, text
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.case_opening import CaseOpening
from infra.db.case_counts import CountChanges
from infra.db.case_rows import KEPT_WHEN_NONE, counted_columns, event_rows, scheduled_columns, stored_columns
from infra.db.case_state import event_from_row, from_state, from_state_json
from infra.db.tables import case_events, cases
from infra.services.ports import CaseChangedMeanwhile
from models.case import Case, CaseEvent, evolve
from models.clock import clock_needs_history
from models.escalation import DEFAULT_ESCALATION, EscalationPolicy, Memo


async def load_cases(conn: AsyncConnection, case_ids: Sequence[str], *, lock: bool = False,
                     history: bool = True) -> dict[str, Case]:
    """The aggregates, with their full event history or (`history=False`) only its length."""
    query = select(cases.c.case_id, cases.c.state, cases.c.version).where(cases.c.case_id.in_(list(case_ids)))
    rows = (await conn.execute(query.with_for_update() if lock else query)).all()
    if not history:
        return {row.case_id: from_state(row.state, (), row.version) for row in rows}
    return await _with_history(conn, rows)


async def _with_history(conn: AsyncConnection, rows: Sequence[Any]) -> dict[str, Case]:
    loaded = await _histories(conn, [row.case_id for row in rows])
    return {row.case_id: from_state(row.state, loaded[row.case_id]) for row in rows}


async def _histories(conn: AsyncConnection, case_ids: Sequence[str]) -> dict[str, tuple[CaseEvent, ...]]:
    """Each case's full history, in order."""
    loaded: dict[str, list[CaseEvent]] = {case_id: [] for case_id in case_ids}
    if loaded:
        events = await conn.execute(select(case_events).where(case_events.c.case_id.in_(list(loaded)))
                                    .order_by(case_events.c.case_id, case_events.c.seq))
        for event in events:
            loaded[event.case_id].append(event_from_row(dict(event._mapping)))
    return {case_id: tuple(found) for case_id, found in loaded.items()}


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
        """Without their histories, except the few whose clock the state alone cannot time.
        The states come as JSON text, decoded straight into the aggregate (`from_state_json`)."""
        claimed = await self._conn.execute(
            select(cases.c.case_id, cast(cases.c.state, Text).label("state"), cases.c.version)
            .where(cases.c.next_check_at <= now)
            .order_by(cases.c.next_check_at).limit(limit).with_for_update(skip_locked=True))
        found = [from_state_json(state, (), version) for _, state, version in claimed]
        needing = [case.case_id for case in found if clock_needs_history(case)]
        if not needing:
            return found
        histories = await _histories(self._conn, needing)
        return [evolve(case, events=histories[case.case_id], base_version=0) if case.case_id in histories else case
                for case in found]

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
        await self.save_many([(before, after)], checked_at=checked_at)

    async def save_many(self, changes: Sequence[tuple[Case, Case]], *, checked_at: datetime | None = None,
                        policy: EscalationPolicy | None = None, memo: Memo | None = None,
                        scheduled: bool = False) -> None:
        """Set-based: one `UPDATE … FROM unnest(…)` for every row and one `INSERT … SELECT
        unnest(…)` for every new event, whatever the number of cases. Each row is written only
        if it still has the version `before` was loaded at; one that has not (another writer
        won, or the case is gone) aborts the whole change with `CaseChangedMeanwhile`."""
        if not changes:
            return
        policy = policy or self._policy
        project = scheduled_columns if scheduled else stored_columns
        rows = [project(after, checked_at=checked_at, policy=policy, memo=memo) for _, after in changes]
        names = [name for name in rows[0] if name != "case_id"]
        values: dict[str, list[Any]] = {"key": [row["case_id"] for row in rows],
                                        "expected": [before.version for before, _ in changes]}
        for name in names:
            values[name] = ([_json(row[name]) for row in rows] if name in _JSON_COLUMNS and name != "state"
                            else [row[name] for row in rows])  # the state comes as JSON text
        written = set((await self._conn.execute(_update_statement(tuple(names)), values)).scalars())
        lost = [key for key in values["key"] if key not in written]
        if lost:
            raise CaseChangedMeanwhile(f"case {', '.join(lost)} changed meanwhile; try again")
        for (before, _), row in zip(changes, rows):
            self._counts.move(counted_columns(before), row)
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
            values = {name: [_json(e[name]) if name == "data" else e[name] for e in new_events]
                      for name in _EVENT_COLUMNS}
            await self._conn.execute(_INSERT_EVENTS, values)


# --- set-based statements ---------------------------------------------------------------------

_JSON_COLUMNS = frozenset(c.name for c in cases.columns if isinstance(c.type, JSONB))
_EVENT_COLUMNS = ("event_id", "case_id", "seq", "type", "actor", "at", "source_event_id", "data")


def _json(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def _array_type(column: Column[Any]) -> str:
    """The PostgreSQL array a column's values travel in (JSON as text, cast back per row)."""
    kind = column.type
    if isinstance(kind, (JSONB, String, Text)):
        return "text[]"
    if isinstance(kind, Boolean):
        return "boolean[]"
    if isinstance(kind, Integer):
        return "integer[]"
    if isinstance(kind, DateTime):
        return "timestamptz[]"
    raise TypeError(f"no array type for column {column.name} ({kind})")


def _new_value(name: str) -> str:
    if name in _JSON_COLUMNS:
        return f"v.{name}::jsonb"
    if name in KEPT_WHEN_NONE:  # not known from what was loaded: the stored value stands
        return f"CASE WHEN v.{KEPT_WHEN_NONE[name]} IS NULL THEN cases.{name} ELSE v.{name} END"
    return f"v.{name}"


@lru_cache(maxsize=8)
def _update_statement(names: tuple[str, ...]) -> TextClause:
    """`UPDATE cases … FROM unnest(arrays) WHERE case_id = key AND version = expected`, the
    rows it wrote returned; built once per set of columns (always the same set in practice)."""
    sets = ", ".join(f"{n} = {_new_value(n)}" for n in names)
    arrays = ", ".join(f"CAST(:{n} AS {_array_type(cases.c[n])})" for n in names)
    return text(f"UPDATE cases SET {sets} FROM unnest(CAST(:key AS text[]), CAST(:expected AS integer[]), {arrays})"
                f" AS v(key, expected, {', '.join(names)})"
                " WHERE cases.case_id = v.key AND cases.version = v.expected RETURNING cases.case_id")


_INSERT_EVENTS = text(
    f"INSERT INTO case_events ({', '.join(_EVENT_COLUMNS)})"
    f" SELECT {', '.join(f'v.{n}::jsonb' if n == 'data' else f'v.{n}' for n in _EVENT_COLUMNS)}"
    f" FROM unnest({', '.join(f'CAST(:{n} AS {_array_type(case_events.c[n])})' for n in _EVENT_COLUMNS)})"
    f" AS v({', '.join(_EVENT_COLUMNS)})")
