"""The async engine: one per process, created by the composition root."""
from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def create_engine(database_url: str, *, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,  # survive a database restart without a poisoned pool
        hide_parameters=True,  # parameters are personal data: never in an error, hence never in a log
        json_serializer=_dumps,  # JSONB columns (case state, events) are most of what we write
        json_deserializer=orjson.loads,
        connect_args={"command_timeout": 30},
    )
