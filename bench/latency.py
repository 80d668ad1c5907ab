"""Benchmark 2: event → readable over HTTP. An open-loop producer sends events at a fixed
rate (its schedule never waits for the system); a sample of them is polled through
`GET /api/v1/cases?source_event_id=…` until found. Latency is measured from the moment
each event was produced, independent of `occurred_at`. The consumer fetch wait in force
(MINQING_FETCH_MAX_WAIT_MS) is reported: on Tansu it bounds the latency."""
from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
from aiokafka import AIOKafkaProducer

from bench.report import VILLAGE_RESIDENTS, percentiles, publish
from infra.runtime.processes import free_loopback_port
from infra.settings import Settings, kafka_bootstrap_servers
from bench.pipeline import Pipeline

SAMPLE_EVERY = 20  # poll one event in twenty: the poller must not become the load


async def run(data_dir: Path, *, rate: float, seconds: float, smoke: bool) -> dict[str, Any]:
    pipeline = await Pipeline.start(data_dir)
    port = free_loopback_port()
    worker, api = pipeline.worker(), pipeline.api_server(port)
    worker.start()
    api.start()
    try:
        await _wait_until_ready(pipeline, port)
        events = await pipeline.mixed_events(int(rate * seconds), seed=77, residents_per_village=VILLAGE_RESIDENTS)
        latencies = await _open_loop(pipeline, port, events, rate)
    finally:
        worker.stop()
        api.stop()
        await pipeline.close()
    return publish(f"latency-{int(rate)}", {
        "rate_events_per_s": rate, "seconds": seconds, "sampled": len(latencies),
        "fetch_max_wait_ms": Settings().fetch_max_wait_ms,
        "latency_ms": percentiles(latencies, 50, 99, 99.9)}, smoke=smoke)


async def _wait_until_ready(pipeline: Pipeline, port: int) -> None:
    """The API answers, and the worker has joined the group and consumes (a probe event)."""
    probe = [("hotline.calls", (await pipeline.mixed_events(1, seed=1))[0][1])]
    await pipeline.produce([(t, str(e["event_id"]).encode(), orjson.dumps(e)) for t, e in probe])
    async with _client(pipeline, port) as client:
        for _ in range(600):
            try:
                found = await client.get("/api/v1/cases", params={"source_event_id": probe[0][1]["event_id"]})
                if found.status_code == 200 and found.json()["items"]:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the system did not become ready")


def _client(pipeline: Pipeline, port: int) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=httpx.Timeout(30, pool=None),
                             limits=httpx.Limits(max_connections=32),
                             headers={"Authorization": f"Bearer {pipeline.logins['admin']}"})


async def _open_loop(pipeline: Pipeline, port: int, events: list[tuple[str, dict[str, Any]]],
                     rate: float) -> list[float]:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers(pipeline.runtime.kafka_url or ""),
                                acks="all", linger_ms=0)
    await producer.start()
    latencies: list[float] = []
    pollers: list[asyncio.Task[None]] = []
    async with _client(pipeline, port) as client:
        start = time.perf_counter()
        for n, (topic, event) in enumerate(events):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await producer.send(pipeline.settings.topic(topic), orjson.dumps(event),
                                key=str(event["event_id"]).encode())
            if n % SAMPLE_EVERY == 0:
                pollers.append(asyncio.create_task(_poll(client, event["event_id"], time.perf_counter(), latencies)))
        await producer.flush()
        await asyncio.gather(*pollers)
    await producer.stop()
    return latencies


async def _poll(client: httpx.AsyncClient, event_id: str, sent: float, latencies: list[float]) -> None:
    """Until found (an overloaded system shows as long latencies, not as a crash)."""
    deadline = sent + 300
    while time.perf_counter() < deadline:
        try:
            found = await client.get("/api/v1/cases", params={"source_event_id": event_id})
        except httpx.HTTPError:
            await asyncio.sleep(0.05)
            continue
        if found.status_code == 200 and found.json()["items"]:
            latencies.append((time.perf_counter() - sent) * 1000)
            return
        await asyncio.sleep(0.005)
