"""The audit log: who saw a petitioner's unmasked identity, and when (issue 5)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.tables import audit_log


async def record(conn: AsyncConnection, *, at: datetime, role: str, cadre_id: str | None, action: str,
                 case_id: str | None = None, **detail: Any) -> None:
    await conn.execute(audit_log.insert().values(at=at, role=role, cadre_id=cadre_id, action=action,
                                                 case_id=case_id, detail=detail))


async def recent(conn: AsyncConnection, *, limit: int, offset: int, case_id: str | None = None,
                 cadre_id: str | None = None) -> list[dict[str, Any]]:
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit).offset(offset)
    if case_id is not None:
        query = query.where(audit_log.c.case_id == case_id)
    if cadre_id is not None:
        query = query.where(audit_log.c.cadre_id == cadre_id)
    return [dict(row._mapping) for row in await conn.execute(query)]
