"""Events the API accepts are written to `outgoing_events` in the request's transaction, so a
202 is never lost even if the broker restarts; the worker's relay publishes them. The answer
then waits briefly for the worker to route the case, to tell the operator its owner at once."""
from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import orjson
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infra.db.tables import cases, outgoing_events

ROUTING_WAIT_SECONDS = 2.0


def new_event_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


async def enqueue(conn: AsyncConnection, topic: str, event: BaseModel, now: Any) -> None:
    value = orjson.dumps(event.model_dump(mode="json", exclude_none=True))
    key = getattr(event, "event_id").encode()
    await conn.execute(outgoing_events.insert().values(topic=topic, key=key, value=value, created_at=now))


async def routed_case(engine: AsyncEngine, topic: str, event_id: str,
                      wait: float = ROUTING_WAIT_SECONDS) -> dict[str, Any] | None:
    """The case the event became, polled for at most `wait` seconds (None: not yet)."""
    deadline = time.monotonic() + wait
    query = select(cases.c.case_id, cases.c.tracking_code, cases.c.status, cases.c.owner_cadre_id,
                   cases.c.handler_cadre_id, cases.c.routing).where(
        cases.c.source_topic == topic, cases.c.source_event_id == event_id)
    while True:
        async with engine.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is not None:
            return dict(row._mapping)
        if time.monotonic() >= deadline:
            return None
        await asyncio.sleep(0.1)
