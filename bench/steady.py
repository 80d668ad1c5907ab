"""Benchmark 8: a worker's memory at a steady rate. An open-loop producer sends the realistic
mix at R events/s for S seconds to one worker run under bench.probe, which notes the RSS each
second. With `trace`, tracemalloc runs in the worker and is snapshotted once the worker has
warmed up (a minute in) and at the end; the lines whose allocations grew most between the two
are kept in bench/results/steady-tracemalloc.txt: what the worker keeps per event."""
from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer

from bench.burst import probed_worker
from bench.pipeline import Pipeline
from bench.report import RESULTS, VILLAGE_RESIDENTS, publish
from infra.settings import kafka_bootstrap_servers

WARM_UP = 60.0


async def run(data_dir: Path, *, rate: float, seconds: float, smoke: bool, trace: bool = False) -> dict[str, Any]:
    pipeline = await Pipeline.start(data_dir)
    probe = data_dir / "steady-probe.jsonl"
    env = {"MINQING_PROBE_TRACEMALLOC": "1"} if trace else {}
    worker = probed_worker(pipeline, "steady-worker", probe, **env)
    warm_up = min(WARM_UP, seconds / 3)
    try:
        events = await pipeline.mixed_events(int(rate * seconds), seed=50, residents_per_village=VILLAGE_RESIDENTS)
        worker.start()
        await pipeline.wait_for_outcomes(0, timeout=5)
        started = time.time()
        snapshot_at = started + warm_up
        await _open_loop(pipeline, events, rate, lambda: _snapshot(probe) if trace else None, snapshot_at)
        if await pipeline.wait_for_outcomes(len(events), timeout=120) < len(events):
            worker.require_alive()
            raise TimeoutError(f"the worker did not take in {len(events)} events within two minutes")
        if trace:
            _snapshot(probe)
            await _until_snapshots(Path(f"{probe}.tracemalloc"), 2)
        ended = time.time()
    finally:
        worker.stop()
        await pipeline.close()
    rss = [(line["t"], line["rss_mb"]) for line in _lines(probe) if line["loop"] == "MainThread"]
    after_warm_up = [mb for t, mb in rss if started + warm_up <= t <= ended]
    first, last = (after_warm_up[0], after_warm_up[-1]) if after_warm_up else (0.0, 0.0)
    taken = int(rate * (ended - started - warm_up))
    if trace and not smoke:
        (RESULTS / "steady-tracemalloc.txt").write_text((Path(f"{probe}.tracemalloc")).read_text())
    return publish("steady-traced" if trace else "steady", {
        "rate_events_per_s": rate, "seconds": seconds, "tracemalloc": trace, "rss_mb_after_warm_up": first,
        "rss_mb_at_end": last, "growth_pct": round((last - first) / first * 100, 1) if first else None,
        "kb_kept_per_event": round((last - first) * 1024 / taken, 2) if taken > 0 else None,
        "rss_mb_by_minute": [mb for t, mb in rss if int(t - started) % 60 == 0]}, smoke=smoke)


def _snapshot(probe: Path) -> None:
    """Ask the probed worker for a tracemalloc snapshot (bench.probe)."""
    Path(f"{probe}.snapshot").touch()


async def _until_snapshots(path: Path, count: int, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().count("== snapshot") >= count and "\n    " in path.read_text():
            return
        await asyncio.sleep(1)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


async def _open_loop(pipeline: Pipeline, events: list[tuple[str, dict[str, Any]]], rate: float,
                     at_warm_up: Any, warm_up_at: float) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers(pipeline.runtime.kafka_url or ""))
    await producer.start()
    try:
        start, warmed = time.perf_counter(), False
        for n, (topic, event) in enumerate(events):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if not warmed and time.time() >= warm_up_at:
                at_warm_up()
                warmed = True
            await producer.send(pipeline.settings.topic(topic), orjson.dumps(event), key=str(event["event_id"]).encode())
    finally:
        await producer.stop()
