"""Publishing a refused event to `<topic>.dlq`: original bytes untouched, the cause and
the source position in headers. (Intake already stored it in PostgreSQL, in the same
transaction as the rest of its batch.)"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from infra.services.intake import IntakeItem

ERROR_HEADER = "minqing.error"


def dead_letter_headers(error: str, item: IntakeItem, at: datetime) -> list[tuple[str, bytes]]:
    return [
        (ERROR_HEADER, error.encode()),
        ("minqing.source.topic", (item.source_topic or item.topic).encode()),
        ("minqing.source.partition", str(item.partition).encode()),
        ("minqing.source.offset", str(item.offset).encode()),
        ("minqing.failed_at", at.isoformat().encode()),
    ]


async def publish_dead_letter(dlq_topic: Any, item: IntakeItem, error: str, at: datetime) -> None:
    delivery = await dlq_topic.send(key=item.key, value=item.raw, headers=dead_letter_headers(error, item, at))
    await delivery
