"""Each benchmark runs end to end at tiny sizes and gives sane figures. (The figures
themselves are measured by `python -m bench NAME` and kept in bench/results/.)"""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from bench import api_load, escalation, ingest, latency, naive

pytestmark = pytest.mark.integration


def _positive(value: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


async def test_ingest_benchmark_runs(tmp_path: Path) -> None:
    record = await ingest.run(tmp_path, events=400, workers=1, smoke=True)
    assert _positive(record["events_per_s"]) and _positive(record["floor_events_per_s"])
    assert 0 < record["ratio_to_floor"] < 10
    assert _positive(record["peak_rss_mb"])


async def test_naive_benchmark_runs(tmp_path: Path) -> None:
    record = await naive.run(tmp_path, events=200, smoke=True)
    assert _positive(record["events_per_s"])


async def test_escalation_benchmark_runs(tmp_path: Path) -> None:
    record = await escalation.run(tmp_path, cases=1000, smoke=True)
    assert record["escalated"] == 100
    assert record["lag_seconds"]["p99"] >= 0 and _positive(record["empty_poll_ms"]["p50"])


async def test_latency_benchmark_runs(tmp_path: Path) -> None:
    record = await latency.run(tmp_path, rate=50, seconds=2, smoke=True)
    assert record["sampled"] >= 4
    assert _positive(record["latency_ms"]["p50"]) and record["latency_ms"]["p99"] >= record["latency_ms"]["p50"]


async def test_api_benchmark_runs(tmp_path: Path) -> None:
    record = await api_load.run(tmp_path, cases=500, seconds=2, smoke=True, request_rate=30, ingest_rate=20)
    assert _positive(record["achieved_requests_per_s"])
    assert set(record["latency_ms"]) == {"case_by_id", "inbox", "dashboard_counts"}
    assert all(_positive(p["p50"]) for p in record["latency_ms"].values())
