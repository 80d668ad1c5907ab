"""Helpers of the integration tests; their fixtures (broker, PostgreSQL, worker, API
client) live in `tests/system_fixtures.py`, shared with the browser tests."""
from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import orjson
from aiokafka import AIOKafkaProducer


async def send(producer: AIOKafkaProducer, topic: str, value: bytes | dict[str, Any], *, key: str,
               partition: int | None = None) -> None:
    raw = value if isinstance(value, bytes) else orjson.dumps(value)
    await producer.send_and_wait(topic, raw, key=key.encode(), partition=partition)


async def cases_for(api: httpx.AsyncClient, source_event_id: str) -> list[dict[str, Any]]:
    response = await api.get("/api/v1/cases", params={"source_event_id": source_event_id})
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def wait_for_case(api: httpx.AsyncClient, source_event_id: str, timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = await cases_for(api, source_event_id)
        if found:
            return found[0]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no case for event {source_event_id} within {timeout}s")
