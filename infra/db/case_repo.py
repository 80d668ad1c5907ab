"""Cases and their events (the events table doubles as the transactional outbox)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, select, union_all
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.tables import case_events, case_links, cases

# No clock runs for these: they are never overdue.
CLOSED_STATUSES = ("resolved", "closed", "reviewed", "re_reviewed")


async def insert_case(conn: AsyncConnection, row: dict[str, Any], events: Sequence[dict[str, Any]]) -> bool:
    """Insert a case and its first events; False (and nothing written) if the source
    event was already stored: the unique (source_topic, source_event_id) decides."""
    inserted = await conn.execute(
        insert(cases).values(**row).on_conflict_do_nothing(constraint="uq_cases_source_event")
        .returning(cases.c.case_id))
    if inserted.first() is None:
        return False
    await conn.execute(case_events.insert(), list(events))
    return True


async def insert_cases(conn: AsyncConnection, rows: Sequence[dict[str, Any]],
                       events: Sequence[dict[str, Any]]) -> None:
    """Bulk insert for a batch whose source events the caller has checked under lock."""
    if rows:
        await conn.execute(cases.insert(), list(rows))
    if events:
        await conn.execute(case_events.insert(), list(events))


async def timeline(conn: AsyncConnection, case_id: str) -> list[dict[str, Any]]:
    rows = await conn.execute(
        select(case_events.c.event_id, case_events.c.seq, case_events.c.type, case_events.c.actor,
               case_events.c.at, case_events.c.data)
        .where(case_events.c.case_id == case_id).order_by(case_events.c.seq))
    return [dict(row._mapping) for row in rows]


@dataclass(frozen=True)
class CaseFilter:
    source_event_id: str | None = None
    village_code: str | None = None
    status: str | None = None
    owner_cadre_id: str | None = None
    overdue: bool | None = None
    escalated: bool | None = None


def _filtered(query: Select[Any], f: CaseFilter, now: datetime) -> Select[Any]:
    conditions = []
    if f.source_event_id is not None:
        # a repeat petition's event finds the case it was linked to (a union: each side uses its index)
        matching = union_all(select(cases.c.case_id).where(cases.c.source_event_id == f.source_event_id),
                             select(case_links.c.case_id).where(case_links.c.source_event_id == f.source_event_id))
        conditions.append(cases.c.case_id.in_(matching.scalar_subquery()))
    if f.village_code is not None:
        conditions.append(cases.c.village_code == f.village_code)
    if f.status is not None:
        conditions.append(cases.c.status == f.status)
    if f.owner_cadre_id is not None:
        conditions.append(cases.c.owner_cadre_id == f.owner_cadre_id)
    if f.overdue is not None:
        late = and_(cases.c.next_due_at < now, cases.c.status.not_in(CLOSED_STATUSES))
        conditions.append(late if f.overdue else ~late)
    if f.escalated is not None:
        conditions.append(cases.c.escalation_level > 0 if f.escalated else cases.c.escalation_level == 0)
    return query.where(and_(*conditions)) if conditions else query


async def list_cases(conn: AsyncConnection, f: CaseFilter, now: datetime, *, limit: int,
                     offset: int) -> tuple[list[dict[str, Any]], int]:
    total = (await conn.execute(_filtered(select(func.count()).select_from(cases), f, now))).scalar_one()
    rows = await conn.execute(
        _filtered(select(cases), f, now).order_by(cases.c.created_at.desc(), cases.c.case_id)
        .limit(limit).offset(offset))
    return [dict(row._mapping) for row in rows], int(total)
