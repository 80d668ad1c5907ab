"""Each benchmark runs end to end at tiny sizes and gives sane figures. (The figures
themselves are measured by `python -m bench NAME` and kept in bench/results/.)"""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from bench import (api_load, bulk_load, burst, escalation, ingest, latency, naive, profile_intake, reads, retention,
                   steady)

pytestmark = pytest.mark.integration


def _positive(value: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


async def test_ingest_benchmark_runs(tmp_path: Path) -> None:
    record = await ingest.run(tmp_path, events=400, workers=1, smoke=True)
    assert _positive(record["events_per_s"]) and _positive(record["floor_events_per_s"])
    assert 0 < record["ratio_to_floor"] < 10
    assert _positive(record["bare_worker_events_per_s"]) and 0 < record["ratio_to_bare_worker"] < 10
    assert _positive(record["peak_rss_mb"])


async def test_naive_benchmark_runs(tmp_path: Path) -> None:
    record = await naive.run(tmp_path, events=200, smoke=True)
    assert _positive(record["events_per_s"])


async def test_escalation_benchmark_runs(tmp_path: Path) -> None:
    record = await escalation.run(tmp_path, cases=1000, smoke=True)
    assert record["escalated"] == 100 and record["cases_escalated_twice"] == 0
    assert record["lag_seconds"]["p99"] >= 0 and _positive(record["empty_poll_ms"]["p50"])


async def test_racing_scheduler_processes_escalate_every_due_case_once(tmp_path: Path) -> None:
    record = await escalation.run(tmp_path, cases=2000, smoke=True, schedulers=2, batch_size=20)
    assert record["escalated"] == 200 and sum(record["claimed_per_scheduler"]) == 200
    assert record["cases_escalated_twice"] == 0 and record["lag_seconds"]["p99"] >= 0


async def test_latency_benchmark_runs(tmp_path: Path) -> None:
    record = await latency.run(tmp_path, rate=50, seconds=2, smoke=True)
    assert record["sampled"] >= 4
    assert _positive(record["latency_ms"]["p50"]) and record["latency_ms"]["p99"] >= record["latency_ms"]["p50"]


async def test_api_benchmark_runs(tmp_path: Path) -> None:
    record = (await api_load.run(tmp_path, cases=2_000, seconds=3, smoke=True, request_rates=[40], ingest_rate=10))["runs"][0]
    assert _positive(record["achieved_requests_per_s"]) and record["failed_requests"] == {}
    assert set(record["latency_ms"]) == {name for name, _ in api_load.MIX}
    assert all(_positive(p["p50"]) for p in record["latency_ms"].values() if p["answered"])
    assert sum(p["answered"] for p in record["latency_ms"].values()) == 120
    assert all(_positive(spent) for part, spent in record["cpu_seconds"].items() if part != "broker")


async def test_district_loader_makes_copies_the_domain_agrees_with(tmp_path: Path) -> None:
    built = await bulk_load.build(tmp_path / "build", 2_000)
    assert built["copies"] >= 2 and built["cases"] == built["sample_cases"] * built["copies"]
    pipeline, _ = await bulk_load.restore(tmp_path / "restore", 2_000)
    try:
        checked = await bulk_load.verify(pipeline)
    finally:
        await pipeline.close()
    assert checked["checked"] > 0 and checked["mismatched"] == 0 and checked["open_repeats_not_linked"] == 0
    assert checked["case_counts_cells_wrong"] == 0, "the loader recounts the cells for the cases it copied"


async def test_reads_benchmark_runs(tmp_path: Path) -> None:
    record = await reads.run(tmp_path, cases=2_000, smoke=True, budget_seconds=0.5)
    assert record["cases"] > 1_000
    assert all(_positive(figures["p50"]) for figures in record["ms"].values())
    assert _positive(record["ms"]["export_csv"]["python_peak_mb"])


async def test_burst_benchmark_runs(tmp_path: Path) -> None:
    record = await burst.run(tmp_path, events=600, smoke=True, batch_size=10)
    assert _positive(record["first_tenth_events_per_s"]) and _positive(record["last_tenth_events_per_s"])
    assert record["loop_lag_ms"]["max"] >= 0


async def test_steady_benchmark_runs(tmp_path: Path) -> None:
    record = await steady.run(tmp_path, rate=20, seconds=12, smoke=True)
    assert _positive(record["rss_mb_after_warm_up"]) and _positive(record["rss_mb_at_end"])


async def test_profile_benchmark_runs(tmp_path: Path) -> None:
    record = await profile_intake.run(tmp_path, events=120, smoke=True)
    assert _positive(record["first_codec"]["events_per_s"]) and _positive(record["msgspec_codec"]["events_per_s"])
    assert record["codec_micro_us"]["msgspec_bytes"] < record["codec_micro_us"]["first_bytes"]


async def test_retention_benchmark_runs(tmp_path: Path) -> None:
    record = await retention.run(tmp_path, events=200, smoke=True, warm_up=100)
    assert record["events"] == 200 and isinstance(record["kept_bytes_per_event"], float)
