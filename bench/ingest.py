"""Benchmark 1: ingest. A fixed mix of events pre-loaded on the input topics, then drained
by Minqing's worker(s); in the same run the ceiling of the stream library (a bare worker:
Minqing's faust app with an intake that does nothing, reading the same events from topics of
their own) and the floor (raw aiokafka getmany + orjson + COPY of the same events into a
scratch table). Reports Minqing / bare worker and Minqing / floor."""
from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import psutil
from aiokafka import AIOKafkaConsumer
from sqlalchemy import text

from bench.pipeline import Pipeline, WorkerProcess, encoded
from bench.report import VILLAGE_RESIDENTS, publish, rate
from infra.settings import Settings, kafka_bootstrap_servers
from infra.topics import ensure_topics
from models.intake import INPUT_TOPICS


async def run(data_dir: Path, *, events: int, workers: int, smoke: bool) -> dict[str, Any]:
    pipeline = await Pipeline.start(data_dir)
    try:
        mix = await pipeline.mixed_events(events, seed=2026, residents_per_village=VILLAGE_RESIDENTS)
        await pipeline.produce(encoded(pipeline.settings, mix))
        await pipeline.produce(encoded(await _bare_settings(pipeline), mix))
        floor = await floor_rate(pipeline, len(mix))
        bare = await bare_rate(pipeline, len(mix))
        minqing = await drain_with_workers(pipeline, len(mix), workers)
    finally:
        await pipeline.close()
    figures = {"events": len(mix), "workers": workers, "bare_worker_events_per_s": bare,
               "floor_events_per_s": floor, **minqing,
               "ratio_to_bare_worker": round(minqing["events_per_s"] / bare, 3) if bare else None,
               "ratio_to_floor": round(minqing["events_per_s"] / floor, 3) if floor else None}
    return publish(f"ingest-{workers}w", figures, smoke=smoke)


async def drain_with_workers(pipeline: Pipeline, total: int, count: int) -> dict[str, Any]:
    workers = [pipeline.worker(f"bench-worker-{n}") for n in range(count)]
    for worker in workers:
        worker.start()
    peak_rss, cpu_at_first = 0, None
    try:
        processes = [psutil.Process(w.process.pid) for w in workers if w.process]  # type: ignore[union-attr]
        while await pipeline.outcomes() < total:
            peak_rss = max(peak_rss, sum(p.memory_info().rss for p in processes))
            if cpu_at_first is None and await pipeline.outcomes() > 0:
                cpu_at_first = _cpu(processes)
            await asyncio.sleep(0.2)
        cpu_used = _cpu(processes) - (cpu_at_first or 0.0)
        assert await pipeline.wait_until_relayed(timeout=300) == 0
        first, last = await _first_and_last_commit(pipeline)
        mix = await _outcome_mix(pipeline)
    finally:
        for worker in workers:
            worker.stop()
    seconds = (last - first).total_seconds()
    return {"seconds_first_to_last_commit": round(seconds, 2), "events_per_s": rate(total, seconds),
            "cpu_seconds_per_event_ms": round(cpu_used / total * 1000, 3), "peak_rss_mb": round(peak_rss / 2**20, 1),
            "outcomes": mix}


async def _outcome_mix(pipeline: Pipeline) -> dict[str, int]:
    async with pipeline.engine.connect() as conn:
        row = (await conn.execute(text(
            "select (select count(*) from cases), (select count(*) from case_links), "
            "(select count(*) from dead_letters), (select count(*) from alerts)"))).one()
    return {"cases": row[0], "repeat_links": row[1], "dead_letters": row[2], "alerts": row[3]}


def _cpu(processes: list[psutil.Process]) -> float:
    return sum(p.cpu_times().user + p.cpu_times().system for p in processes)


async def _first_and_last_commit(pipeline: Pipeline) -> tuple[Any, Any]:
    async with pipeline.engine.connect() as conn:
        row = (await conn.execute(text(
            "select min(t), max(t) from (select created_at t from cases union all select linked_at from case_links "
            "union all select recorded_at from dead_letters) s"))).one()
    return row[0], row[1]


async def floor_rate(pipeline: Pipeline, total: int) -> float:
    """The hardware's floor on this machine: read, decode, COPY — no rules, no routing."""
    # the owner's role: the floor creates a table of its own
    dsn = (pipeline.runtime.owner_database_url or "").replace("postgresql+asyncpg", "postgresql")
    connection = await asyncpg.connect(dsn)
    await connection.execute("create unlogged table if not exists bench_floor (topic text, event_id text, body jsonb)")
    consumer = AIOKafkaConsumer(*[pipeline.settings.topic(t) for t in INPUT_TOPICS], group_id=f"floor-{uuid.uuid4()}",
                                bootstrap_servers=kafka_bootstrap_servers(pipeline.runtime.kafka_url or ""),
                                auto_offset_reset="earliest", fetch_max_wait_ms=10, max_poll_records=5000)
    await consumer.start()
    copied, started = 0, None
    try:
        while copied < total:
            batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
            rows = [(tp.topic, event["event_id"], orjson.dumps(event).decode())
                    for tp, records in batch.items() for record in records
                    for event in (orjson.loads(record.value),)]
            if rows:
                started = started or time.perf_counter()
                await connection.copy_records_to_table("bench_floor", records=rows)
                copied += len(rows)
        await consumer.commit()
        seconds = time.perf_counter() - (started or time.perf_counter())
    finally:
        await consumer.stop()
        await connection.execute("drop table bench_floor")
        await connection.close()
    return rate(copied, seconds)


BARE_PREFIX = "bare."


async def _bare_settings(pipeline: Pipeline) -> Settings:
    settings = pipeline.settings.model_copy(update={"topic_prefix": BARE_PREFIX})
    await ensure_topics(settings, pipeline.runtime.kafka_url or "")
    return settings


async def bare_rate(pipeline: Pipeline, total: int, timeout: float = 600) -> float:
    """Events/s of the bare worker (bench.bare_agent), first batch to last, on its own topics."""
    out = pipeline.runtime.data_dir / "bare.json"
    worker = WorkerProcess(pipeline.runtime, "bare-worker", {"MINQING_TOPIC_PREFIX": BARE_PREFIX}, command="",
                           module="bench.bare_agent", args=[str(out)])
    worker.start()
    try:
        deadline = time.monotonic() + timeout
        seen: dict[str, float] = {"events": 0}
        while seen["events"] < total and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            worker.require_alive()
            if out.exists():
                seen = orjson.loads(out.read_bytes())
    finally:
        worker.stop()
    return rate(int(seen["events"]), seen["last"] - seen["first"]) if seen["events"] >= total else float("nan")


__all__ = ["run", "WorkerProcess"]
