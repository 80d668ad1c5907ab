"""Roster snapshots (the imported CONTRACT document) and cadres' whereabouts."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.tables import roster_snapshots, whereabouts


async def save_snapshot(conn: AsyncConnection, document: dict[str, Any], source: str, at: datetime) -> int:
    result = await conn.execute(
        roster_snapshots.insert().values(document=document, source=source, imported_at=at)
        .returning(roster_snapshots.c.id))
    return int(result.scalar_one())


async def latest_snapshot(conn: AsyncConnection) -> tuple[int, dict[str, Any]] | None:
    row = (await conn.execute(
        select(roster_snapshots.c.id, roster_snapshots.c.document)
        .order_by(roster_snapshots.c.id.desc()).limit(1))).first()
    return (int(row.id), row.document) if row else None


async def version(conn: AsyncConnection) -> tuple[int | None, datetime | None]:
    """A cheap fingerprint: changes whenever a roster is imported or a whereabouts is set."""
    snapshot_id = (await conn.execute(select(func.max(roster_snapshots.c.id)))).scalar()
    changed = (await conn.execute(select(func.max(whereabouts.c.updated_at)))).scalar()
    return snapshot_id, changed


async def set_whereabouts(conn: AsyncConnection, cadre_id: str, status: str,
                          until: datetime | None, at: datetime) -> None:
    statement = insert(whereabouts).values(cadre_id=cadre_id, status=status, until=until, updated_at=at)
    await conn.execute(statement.on_conflict_do_update(
        index_elements=[whereabouts.c.cadre_id],
        set_={"status": statement.excluded.status, "until": statement.excluded.until,
              "updated_at": statement.excluded.updated_at}))


async def all_whereabouts(conn: AsyncConnection) -> list[dict[str, Any]]:
    rows = await conn.execute(select(whereabouts.c.cadre_id, whereabouts.c.status, whereabouts.c.until))
    return [dict(row._mapping) for row in rows]
