"""Benchmark 4: the API with many cases while ingest runs. N cases bulk-loaded (as the
escalation benchmark does), a worker taking in an open-loop stream of events at
`ingest_rate`, and an open-loop HTTP load spread over case-by-id, a cadre's inbox (by
owner, ordered by deadline) and the leader dashboard's counts. Reports p50/p99 per
endpoint and the achieved request rate against the offered one (saturation shows as a
shortfall)."""
from __future__ import annotations

import asyncio
import random
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import orjson
from aiokafka import AIOKafkaProducer

from bench.escalation import _bulk_load, _template
from bench.latency import _wait_until_ready
from bench.report import VILLAGE_RESIDENTS, percentiles, publish
from infra.bootstrap import utc_now
from infra.runtime.processes import free_loopback_port
from infra.settings import kafka_bootstrap_servers
from infra.tokens import create_token
from bench.pipeline import Pipeline


async def run(data_dir: Path, *, cases: int, seconds: float, smoke: bool, request_rate: float = 300.0,
              ingest_rate: float = 300.0) -> dict[str, Any]:
    pipeline = await Pipeline.start(data_dir)
    template, due_at = _template()
    await _bulk_load(pipeline, template, cases, due_every=cases + 1, due_at=due_at)
    async with pipeline.engine.begin() as conn:
        cadre = await create_token(conn, role="cadre", cadre_id="v1-dir", now=utc_now())
    port = free_loopback_port()
    worker, api = pipeline.worker(), pipeline.api_server(port)
    worker.start()
    api.start()
    try:
        await _wait_until_ready(pipeline, port)
        feed = asyncio.create_task(_ingest(pipeline, ingest_rate, seconds))
        timings, achieved = await _load(pipeline, port, cadre, cases, request_rate, seconds)
        await feed
    finally:
        worker.stop()
        api.stop()
        await pipeline.close()
    return publish("api", {"cases": cases, "offered_requests_per_s": request_rate,
                           "achieved_requests_per_s": round(achieved, 1), "ingest_events_per_s": ingest_rate,
                           "latency_ms": {name: percentiles(t, 50, 99) for name, t in timings.items()}},
                   smoke=smoke)


async def _ingest(pipeline: Pipeline, rate: float, seconds: float) -> None:
    events = await pipeline.mixed_events(int(rate * seconds), seed=99, residents_per_village=VILLAGE_RESIDENTS)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers(pipeline.runtime.kafka_url or ""))
    await producer.start()
    start = time.perf_counter()
    for n, (topic, event) in enumerate(events):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await producer.send(pipeline.settings.topic(topic), orjson.dumps(event), key=str(event["event_id"]).encode())
    await producer.stop()


async def _load(pipeline: Pipeline, port: int, cadre_token: str, cases: int, rate: float,
                seconds: float) -> tuple[dict[str, list[float]], float]:
    rng = random.Random(4)
    admin = {"Authorization": f"Bearer {pipeline.logins['admin']}"}
    leader = {"Authorization": f"Bearer {pipeline.logins['leader (t-sec)']}"}
    cadre = {"Authorization": f"Bearer {cadre_token}"}
    requests = [("case_by_id", lambda: (f"/api/v1/cases/{uuid.UUID(int=rng.randrange(cases) + 1)}", admin)),
                ("inbox", lambda: ("/api/v1/inbox?limit=20", cadre)),
                ("dashboard_counts", lambda: ("/api/v1/cases/counts", leader))]
    timings: dict[str, list[float]] = {name: [] for name, _ in requests}
    tasks = []
    limits = httpx.Limits(max_connections=64)
    timeout = httpx.Timeout(30, pool=None)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=timeout, limits=limits) as client:
        start = time.perf_counter()
        n = 0
        while time.perf_counter() - start < seconds:
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            name, make = requests[n % len(requests)]
            path, headers = make()
            tasks.append(asyncio.create_task(_timed(client, path, headers, timings[name])))
            n += 1
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    return timings, sum(len(t) for t in timings.values()) / elapsed


async def _timed(client: httpx.AsyncClient, path: str, headers: dict[str, str], into: list[float]) -> None:
    """Only answered requests count; a saturated API shows as a rate shortfall, not a crash."""
    started = time.perf_counter()
    try:
        response = await client.get(path, headers=headers)
    except httpx.HTTPError:
        return
    if response.status_code == 200:
        into.append((time.perf_counter() - started) * 1000)
