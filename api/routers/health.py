"""`/healthz`: can this process reach the database and the broker right now?"""
from __future__ import annotations

import asyncio
import time
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from fastapi import APIRouter, Response, status
from sqlalchemy import text

from api.deps import Services
from api.schemas.cases import Health
from infra.ops_signals import pipeline_signals

router = APIRouter(tags=["health"])


async def _database(svc: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        async with svc.engine.connect() as conn:
            await asyncio.wait_for(conn.execute(text("select 1")), 3)
    except Exception as error:  # noqa: BLE001 - any failure means unreachable
        return {"ok": False, "error": f"{error.__class__.__name__}: {error}"[:300]}
    return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


async def _broker(svc: Any) -> dict[str, Any]:
    started = time.perf_counter()
    admin = AIOKafkaAdminClient(bootstrap_servers=svc.kafka_bootstrap, request_timeout_ms=3000)
    try:
        await asyncio.wait_for(admin.start(), 3)
        topics = await asyncio.wait_for(admin.list_topics(), 3)
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "error": f"{error.__class__.__name__}: {error}"[:300]}
    finally:
        await admin.close()
    return {"ok": True, "topics": len(topics), "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


@router.get("/healthz", response_model=Health)
async def healthz(svc: Services, response: Response) -> Health:
    database, broker = await asyncio.gather(_database(svc), _broker(svc))
    healthy = database["ok"] and broker["ok"]
    if not healthy:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    pipeline = (await pipeline_signals(svc.engine, svc.topic, svc.kafka_bootstrap, svc.clock())
                if healthy else None)
    return Health(status="ok" if healthy else "degraded", database=database, broker=broker, pipeline=pipeline)
