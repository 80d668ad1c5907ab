"""Dead letters kept in PostgreSQL as well as on `<topic>.dlq`: the embedded
broker forgets everything on restart, and a rejected event must never vanish."""
from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.tables import dead_letters


async def record(conn: AsyncConnection, *, topic: str, partition: int, offset: int, key: bytes | None,
                 value: bytes | None, error: str, at: datetime) -> bool:
    """Store one dead letter; False when the same bytes on the same topic were already stored."""
    digest = hashlib.sha256(value or b"").hexdigest()
    result = await conn.execute(
        insert(dead_letters).values(topic=topic, partition=partition, offset=offset, key=key, value=value,
                                    error=error, recorded_at=at, value_sha256=digest)
        .on_conflict_do_nothing(constraint="uq_dead_letters_topic_value"))
    return bool(result.rowcount)


async def count_by_topic(conn: AsyncConnection) -> dict[str, int]:
    rows = await conn.execute(select(dead_letters.c.topic, func.count()).group_by(dead_letters.c.topic))
    return {row[0]: int(row[1]) for row in rows}
