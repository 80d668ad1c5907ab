"""Benchmark 5: the naive peer. The obvious implementation — consume, validate, one ORM
object and one commit per event — on the same events, so the README can show what
batching, one transaction per batch and per-event idempotency buy."""
from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer
from sqlalchemy import JSON, DateTime, String
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bench.report import VILLAGE_RESIDENTS, publish, rate
from infra.db.engine import create_engine
from infra.services.intake import parse_event
from infra.settings import kafka_bootstrap_servers
from models.intake import INPUT_TOPICS
from bench.pipeline import Pipeline, encoded


class _Base(DeclarativeBase):
    pass


class NaiveCase(_Base):
    __tablename__ = "bench_naive_cases"
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))
    village_code: Mapped[str] = mapped_column(String(12))
    summary: Mapped[str] = mapped_column(String(400))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


async def run(data_dir: Path, *, events: int, smoke: bool) -> dict[str, Any]:
    pipeline = await Pipeline.start(data_dir)
    try:
        mix = await pipeline.mixed_events(events, seed=2026, residents_per_village=VILLAGE_RESIDENTS)
        await pipeline.produce(encoded(pipeline.settings, mix))
        owner = create_engine(pipeline.runtime.owner_database_url or "", pool_size=1)  # the schema's owner
        try:
            async with owner.begin() as conn:
                await conn.run_sync(_Base.metadata.create_all)
        finally:
            await owner.dispose()
        seconds = await _drain(pipeline, len(mix))
    finally:
        await pipeline.close()
    return publish("naive", {"events": len(mix), "seconds": round(seconds, 2),
                             "events_per_s": rate(len(mix), seconds)}, smoke=smoke)


async def _drain(pipeline: Pipeline, total: int) -> float:
    sessions = async_sessionmaker(pipeline.engine, expire_on_commit=False)
    consumer = AIOKafkaConsumer(*[pipeline.settings.topic(t) for t in INPUT_TOPICS], group_id=f"naive-{uuid.uuid4()}",
                                bootstrap_servers=kafka_bootstrap_servers(pipeline.runtime.kafka_url or ""),
                                auto_offset_reset="earliest", fetch_max_wait_ms=10)
    await consumer.start()
    done, started = 0, None
    try:
        while done < total:
            for tp, records in (await consumer.getmany(timeout_ms=1000)).items():
                started = started or time.perf_counter()
                for record in records:
                    event = parse_event(tp.topic, record.value)  # the same schema validation as intake
                    async with sessions() as session:  # one object, one commit, per event
                        session.add(NaiveCase(event_id=event.event_id, topic=tp.topic,
                                              village_code=event.village_code, summary=event.summary,
                                              payload=orjson.loads(record.value), created_at=datetime.now(timezone.utc)))
                        await session.commit()
                    await consumer.commit()
                    done += 1
    finally:
        await consumer.stop()
    return time.perf_counter() - (started or time.perf_counter())
