"""The async engine: one per process, created by the composition root."""
from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from infra.metrics import DB_POOL


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def create_engine(database_url: str, *, pool_size: int = 10, name: str | None = "app") -> AsyncEngine:
    """`postgresql+asyncpg://…?ssl=verify-full` for TLS (docs/operations.md); `name` labels its
    pool in the metrics (None: a short-lived engine, not counted)."""
    engine = create_async_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,  # survive a database restart without a poisoned pool
        hide_parameters=True,  # parameters are personal data: never in an error, hence never in a log
        json_serializer=_dumps,  # JSONB columns (case state, events) are most of what we write
        json_deserializer=orjson.loads,
        connect_args={"command_timeout": 30},
    )
    if name is not None:
        _count_pool(engine, name, capacity=2 * pool_size)
    return engine


def _count_pool(engine: AsyncEngine, name: str, *, capacity: int) -> None:
    in_use = DB_POOL.labels(name, "in_use")
    DB_POOL.labels(name, "capacity").set(capacity)  # the latest engine of that name
    event.listen(engine.sync_engine, "checkout", lambda *_: in_use.inc())
    event.listen(engine.sync_engine, "checkin", lambda *_: in_use.dec())
