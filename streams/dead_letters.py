"""Sending a refused event to `<topic>.dlq`: original bytes untouched, the cause
and the source position in headers, and a copy in PostgreSQL."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from infra.db import dead_letters

ERROR_HEADER = "minqing.error"


def dead_letter_headers(error: str, topic: str, partition: int, offset: int, at: datetime) -> list[tuple[str, bytes]]:
    return [
        (ERROR_HEADER, error.encode()),
        ("minqing.source.topic", topic.encode()),
        ("minqing.source.partition", str(partition).encode()),
        ("minqing.source.offset", str(offset).encode()),
        ("minqing.failed_at", at.isoformat().encode()),
    ]


class DeadLetterSink:
    def __init__(self, engine: AsyncEngine, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._clock = clock

    async def send(self, dlq_topic: Any, message: Any, error: str) -> None:
        at = self._clock()
        async with self._engine.begin() as conn:
            await dead_letters.record(conn, topic=message.topic, partition=message.partition,
                                      offset=message.offset, key=message.key, value=message.value,
                                      error=error, at=at)
        headers = dead_letter_headers(error, message.topic, message.partition, message.offset, at)
        delivery = await dlq_topic.send(key=message.key, value=message.value, headers=headers)
        await delivery
