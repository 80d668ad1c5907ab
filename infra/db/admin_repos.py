"""The small repositories of the unit of work: the HTTP outbox, dead letters, the category
catalogue, roster snapshots and whereabouts, and the audit log — each bound to one
transaction, each a thin face over the module that owns its table."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db import audit, dead_letters, roster_repo
from infra.db.tables import calendar_schedules, category_limits, outgoing_events
from infra.services.ports import Row
from models.access import Actor
from models.categories import DEFAULT_CATALOGUE, Catalogue


class SqlOutbox:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def enqueue(self, topic: str, key: bytes, value: bytes, at: datetime) -> None:
        await self._conn.execute(outgoing_events.insert().values(topic=topic, key=key, value=value, created_at=at))


class SqlDeadLetters:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def record(self, *, topic: str, partition: int, offset: int, key: bytes | None, value: bytes | None,
                     error: str, at: datetime) -> None:
        await dead_letters.record(self._conn, topic=topic, partition=partition, offset=offset, key=key, value=value,
                                  error=error, at=at)

    async def pending(self, *, topic: str | None = None, ids: Sequence[int] = (), include_replayed: bool = False,
                      limit: int = 1000) -> list[Row]:
        return await dead_letters.pending(self._conn, topic=topic, ids=ids, include_replayed=include_replayed,
                                          limit=limit)

    async def mark_replayed(self, ids: Sequence[int], at: datetime | None) -> None:
        await dead_letters.mark_replayed(self._conn, ids, at)


class SqlCatalogues:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def current(self) -> tuple[Catalogue, set[str]]:
        rows = (await self._conn.execute(select(category_limits))).all()
        overrides = {row.code: {"label": row.label, "handling_working_days": row.handling_working_days}
                     for row in rows}
        return DEFAULT_CATALOGUE.with_overrides(overrides), set(overrides)

    async def put(self, code: str, label: str, handling_working_days: int, at: datetime) -> None:
        values = {"label": label, "handling_working_days": handling_working_days, "updated_at": at}
        statement = insert(category_limits).values(code=code, **values)
        await self._conn.execute(statement.on_conflict_do_update(index_elements=[category_limits.c.code], set_=values))


class SqlCalendars:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def all(self) -> list[Mapping[str, Any]]:
        rows = await self._conn.execute(select(calendar_schedules.c.document)
                                        .order_by(calendar_schedules.c.year, calendar_schedules.c.kind))
        return [row.document for row in rows]

    async def put(self, document: Mapping[str, Any], at: datetime) -> None:
        values = {"source": document["source"], "document": dict(document), "imported_at": at}
        statement = insert(calendar_schedules).values(year=document["year"], kind=document["kind"], **values)
        await self._conn.execute(statement.on_conflict_do_update(
            index_elements=[calendar_schedules.c.year, calendar_schedules.c.kind], set_=values))


async def schedules(conn: AsyncConnection) -> list[Mapping[str, Any]]:
    return await SqlCalendars(conn).all()


class SqlRosters:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def save_snapshot(self, document: Mapping[str, Any], source: str, at: datetime) -> int:
        return await roster_repo.save_snapshot(self._conn, dict(document), source, at)

    async def set_whereabouts(self, cadre_id: str, status: str, until: datetime | None, at: datetime) -> None:
        await roster_repo.set_whereabouts(self._conn, cadre_id, status, until, at)

    async def cadre_ids(self) -> frozenset[str]:
        latest = await roster_repo.latest_snapshot(self._conn)
        return frozenset(c["cadre_id"] for c in latest[1]["cadres"]) if latest else frozenset()


class SqlAudit:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def record(self, *, at: datetime, who: Actor, action: str, case_id: str | None = None,
                     **detail: Any) -> None:
        await audit.record(self._conn, at=at, who=who, action=action, case_id=case_id, **detail)

    async def recent(self, *, limit: int, offset: int, case_id: str | None = None,
                     cadre_id: str | None = None) -> list[Row]:
        return await audit.recent(self._conn, limit=limit, offset=offset, case_id=case_id, cadre_id=cadre_id)
