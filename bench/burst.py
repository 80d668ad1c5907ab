"""Benchmark 7: a burst on one matter — N hotline calls about one village and one category
within an hour (a flood, a land dispute), every caller a different resident, all waiting on
the topic when one worker starts (a Monday morning's backlog). Reports the ingest rate over
the first and the last tenth of the burst and their ratio, and how long the worker's event
loop was blocked (bench.probe: a task that sleeps 20 ms and notes how late it wakes)."""
from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.pipeline import SHANGHAI, Pipeline, WorkerProcess, encoded
from bench.report import percentiles, publish, rate

VILLAGE, CATEGORY = "330782101201", "water"


def burst_events(count: int, start: datetime) -> list[tuple[str, dict[str, Any]]]:
    """Calls spread evenly over one hour, each from its own phone, one matter."""
    step = timedelta(hours=1) / count
    return [("hotline.calls", {
        "event_id": f"burst-{n}", "occurred_at": (start + step * n).isoformat(), "village_code": VILLAGE,
        "category": CATEGORY, "summary": "洪水冲毁村口道路和自来水管，全村停水", "operator_id": "t-op1",
        "caller": {"name": "村民", "phone": f"137{n:08d}", "id_number": None, "anonymous": False},
        "dialed_cadre_id": None, "kind": "help", "urgency": "urgent"}) for n in range(count)]


def probed_worker(pipeline: Pipeline, name: str, out: Path, **env: str) -> WorkerProcess:
    return WorkerProcess(pipeline.runtime, name, env, command="worker", module="bench.probe", args=[str(out), "--"])


async def run(data_dir: Path, *, events: int, smoke: bool, batch_size: int | None = None) -> dict[str, Any]:
    """`batch_size` overrides the worker's: a smoke run's burst must span several batches."""
    pipeline = await Pipeline.start(data_dir)
    probe = data_dir / "burst-probe.jsonl"
    try:
        start = datetime.now(SHANGHAI) - timedelta(hours=1, minutes=5)
        await pipeline.produce(encoded(pipeline.settings, burst_events(events, start)))
        env = {"MINQING_BATCH_SIZE": str(batch_size)} if batch_size else {}
        worker = probed_worker(pipeline, "burst-worker", probe, **env)
        worker.start()
        try:
            progress = await _progress(pipeline, worker, events)
        finally:
            worker.stop()
    finally:
        await pipeline.close()
    tenth = max(1, events // 10)
    first, last = _rate_between(progress, 0, tenth), _rate_between(progress, events - tenth, events)
    lags = _main_loop_lags(probe, progress[0][0], progress[-1][0])
    return publish("burst", {
        "events": events, "seconds": round(progress[-1][0] - progress[0][0], 1),
        "first_tenth_events_per_s": first, "last_tenth_events_per_s": last,
        "end_over_start": round(last / first, 3) if first else None,
        "loop_lag_ms": {**percentiles(lags, 50, 99), "max": max(lags, default=0.0), "seconds_over_100ms":
                        sum(1 for lag in lags if lag > 100)},
        "rate_by_tenth": [_rate_between(progress, k * tenth, (k + 1) * tenth) for k in range(10)]}, smoke=smoke)


async def _progress(pipeline: Pipeline, worker: WorkerProcess, total: int,
                    timeout: float = 3600) -> list[tuple[float, int]]:
    """(time, outcomes) every tenth of a second, from the first outcome to the last."""
    samples: list[tuple[float, int]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = await pipeline.outcomes()
        if done:
            samples.append((time.time(), done))
        if done >= total:
            return samples
        worker.require_alive()
        await asyncio.sleep(0.1)
    raise TimeoutError(f"only {samples[-1][1] if samples else 0} of {total} events taken in")


def _rate_between(progress: list[tuple[float, int]], low: int, high: int) -> float:
    """Events/s while the outcome count went from `low` to `high` (interpolated samples)."""
    def when(count: int) -> float:
        for (t0, c0), (t1, c1) in zip(progress, progress[1:]):
            if c0 <= count <= c1:
                return t0 + (t1 - t0) * ((count - c0) / (c1 - c0) if c1 > c0 else 0)
        return progress[0][0] if count <= progress[0][1] else progress[-1][0]
    return rate(high - low, when(high) - when(low))


def _main_loop_lags(probe: Path, since: float, until: float) -> list[float]:
    lines = [json.loads(line) for line in probe.read_text().splitlines() if line.strip()] if probe.exists() else []
    return [line["lag_ms"] for line in lines if line["loop"] == "MainThread" and since <= line["t"] <= until + 1]
