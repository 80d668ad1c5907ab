"""Dead letters kept in PostgreSQL as well as on `<topic>.dlq`: the embedded broker
forgets everything on restart, and a rejected event must never vanish."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.tables import dead_letters


async def record(conn: AsyncConnection, *, topic: str, partition: int, offset: int, key: bytes | None,
                 value: bytes | None, error: str, at: datetime) -> None:
    """Store a dead letter. The same bytes refused again (a redelivery, or a replay that
    still fails) update the one record: its latest error, pending again."""
    digest = hashlib.sha256(value or b"").hexdigest()
    statement = insert(dead_letters).values(topic=topic, partition=partition, offset=offset, key=key, value=value,
                                            error=error, recorded_at=at, value_sha256=digest)
    await conn.execute(statement.on_conflict_do_update(
        constraint="uq_dead_letters_topic_value",
        set_={"error": statement.excluded.error, "recorded_at": statement.excluded.recorded_at,
              "partition": statement.excluded.partition, "offset": statement.excluded.offset,
              "replayed_at": None}))


async def count_by_topic(conn: AsyncConnection) -> dict[str, int]:
    rows = await conn.execute(select(dead_letters.c.topic, func.count()).group_by(dead_letters.c.topic))
    return {row[0]: int(row[1]) for row in rows}


async def pending(conn: AsyncConnection, *, topic: str | None = None, ids: Sequence[int] = (),
                  include_replayed: bool = False, limit: int = 1000) -> list[dict[str, Any]]:
    query = select(dead_letters).order_by(dead_letters.c.id).limit(limit)
    if topic is not None:
        query = query.where(dead_letters.c.topic == topic)
    if ids:
        query = query.where(dead_letters.c.id.in_(list(ids)))
    if not include_replayed:
        query = query.where(dead_letters.c.replayed_at.is_(None))
    return [dict(row._mapping) for row in await conn.execute(query)]


async def mark_replayed(conn: AsyncConnection, ids: Sequence[int], at: datetime | None) -> None:
    if ids:
        await conn.execute(dead_letters.update().where(dead_letters.c.id.in_(list(ids))).values(replayed_at=at))
