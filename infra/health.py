"""Can this process reach the database and the broker right now, and is the pipeline
keeping up (`/healthz`)?"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.ops_signals import pipeline_signals


class HealthProbe:
    def __init__(self, engine: AsyncEngine, kafka_bootstrap: str, topic_of: Callable[[str], str],
                 clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._bootstrap = kafka_bootstrap
        self._topic_of = topic_of
        self._clock = clock

    async def database(self) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            async with self._engine.connect() as conn:
                await asyncio.wait_for(conn.execute(text("select 1")), 3)
        except Exception as error:  # noqa: BLE001 - any failure means unreachable
            return {"ok": False, "error": f"{error.__class__.__name__}: {error}"[:300]}
        return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}

    async def broker(self) -> dict[str, Any]:
        started = time.perf_counter()
        admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap, request_timeout_ms=3000)
        try:
            await asyncio.wait_for(admin.start(), 3)
            topics = await asyncio.wait_for(admin.list_topics(), 3)
        except Exception as error:  # noqa: BLE001
            return {"ok": False, "error": f"{error.__class__.__name__}: {error}"[:300]}
        finally:
            await admin.close()
        return {"ok": True, "topics": len(topics), "latency_ms": round((time.perf_counter() - started) * 1000, 1)}

    async def check(self) -> dict[str, Any]:
        database, broker = await asyncio.gather(self.database(), self.broker())
        healthy = database["ok"] and broker["ok"]
        pipeline = (await pipeline_signals(self._engine, self._topic_of, self._bootstrap, self._clock())
                    if healthy else None)
        return {"status": "ok" if healthy else "degraded", "database": database, "broker": broker,
                "pipeline": pipeline}
