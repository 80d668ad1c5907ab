"""Extension requests: a handler asks, a leader above decides (then the domain's Extend
applies to the case in the same transaction)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.case_queries import visible
from infra.db.tables import cases, extension_requests
from infra.services.ports import PendingExists, Row
from models.access import Scope


class SqlExtensionRequests:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, *, case_id: str, requested_by: str, days: int, reason: str, at: datetime) -> Row:
        statement = extension_requests.insert().values(case_id=case_id, requested_by=requested_by, days=days,
                                                       reason=reason, requested_at=at, status="pending")
        try:
            async with self._conn.begin_nested():  # a refused insert must not spoil the transaction
                created = await self._conn.execute(statement.returning(*extension_requests.c))
        except IntegrityError:
            raise PendingExists(case_id) from None
        return dict(created.one()._mapping)

    async def get(self, request_id: int) -> Row | None:
        row = (await self._conn.execute(select(extension_requests).where(extension_requests.c.id == request_id)
                                        .with_for_update())).first()
        return dict(row._mapping) if row else None

    async def decide(self, request_id: int, *, status: str, by: str | None, at: datetime, note: str) -> Row:
        updated = await self._conn.execute(
            extension_requests.update().where(extension_requests.c.id == request_id)
            .values(status=status, decided_by=by, decided_at=at, note=note).returning(*extension_requests.c))
        return dict(updated.one()._mapping)

    async def visible(self, scope: Scope, state: str | None, limit: int) -> list[Row]:
        query = (select(extension_requests).join(cases, cases.c.case_id == extension_requests.c.case_id)
                 .where(visible(scope)).order_by(extension_requests.c.id).limit(limit))
        if state is not None:
            query = query.where(extension_requests.c.status == state)
        return [dict(row._mapping) for row in await self._conn.execute(query)]
