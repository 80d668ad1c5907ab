"""Benchmark 6: the read paths on a district's cases (bench.bulk_load's dump, restored).

Each read is the service layer's own use case run in-process for a real actor (no HTTP, no
JSON rendering: what is measured is the scoped query and the Python behind it): a case
by id, a cadre's inbox (first page by nearest deadline), a leader's dashboard counts (one
block of 20 villages — a township's worth — and the whole district), the three rates of a
block over a year, list pages at offset 0 and deep — by OFFSET and by keyset cursor — and
the CSV export streamed (time and memory). Every
SQL statement each read sends is also run under EXPLAIN (ANALYZE, BUFFERS); the plans are
kept in bench/results/plans-<size>.txt."""
from __future__ import annotations

import random
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import event, text

from api.routers import cases as cases_router
from bench import bulk_load
from bench.pipeline import Pipeline
from bench.report import RESULTS, percentiles, publish
from infra.bootstrap import bootstrap
from infra.services.insight import Rates
from infra.services import paging
from infra.services.ports import PageKey
from infra.services.reads import CountCases, GetCase, Inbox, ListCases
from infra.services.views import SUMMARY_COLUMNS
from models.access import Actor, Role

Read = Callable[[], Awaitable[Any]]
FLOORS = {"case_by_id": "floor_row_by_primary_key", "inbox_first_page": "floor_page_by_owner_index",
          "list_page_1": "floor_page_by_owner_index", "list_page_after_50": "floor_summary_page_by_newest_index",
          "list_page_after_10k": "floor_summary_page_by_newest_index",
          "list_page_after_100k": "floor_summary_page_by_newest_index"}


async def run(data_dir: Path, *, cases: int, smoke: bool, budget_seconds: float = 15.0) -> dict[str, Any]:
    pipeline, prepared = await prepare(data_dir, cases)
    try:
        now = await bulk_load.district_now(pipeline)
        prepared["verify"] = await bulk_load.verify(pipeline)
        reads, about = await _reads(pipeline, now)
        figures = {name: await _timed(read, budget_seconds, max_runs=5 if smoke else 300)
                   for name, read in reads.items()}
        figures["export_csv"].update(await _export_memory(reads["export_csv"]))
        ratios = {name: round(figures[name]["p50"] / figures[floor]["p50"], 1) for name, floor in FLOORS.items()}
        plans = await _plans(pipeline, reads)
    finally:
        await pipeline.close()
    if not smoke:
        (RESULTS / f"plans-{cases // 1000}k.txt").write_text(plans)
    return publish(f"reads-{cases // 1000}k", {"cases": about.pop("cases"), **prepared, "now": now.isoformat(),
                                              **about, "ms": figures,
                                              "p50_over_floor_p50": ratios}, smoke=smoke)


async def prepare(data_dir: Path, cases: int) -> tuple[Pipeline, dict[str, Any]]:
    """The district restored from its dump, which is built first when there is none."""
    built: dict[str, Any] = {}
    if not bulk_load.dump_path(cases).exists():
        built = await bulk_load.build(data_dir / "build", cases)
    pipeline, seconds = await bulk_load.restore(data_dir / "restore", cases)
    return pipeline, {"built": built, "restore_seconds": round(seconds, 1)}


async def _reads(pipeline: Pipeline, now: datetime) -> tuple[dict[str, Read], dict[str, Any]]:
    system = bootstrap("", engine=pipeline.engine, clock=lambda: now)
    app = system.app
    async with pipeline.engine.connect() as conn:
        total = (await conn.execute(text("select count(*) from cases"))).scalar_one()
        ids = list((await conn.execute(text(
            "select case_id from cases tablesample system (1) limit 2000"))).scalars())
        if not ids:  # a small table's 1 % of pages may be none at all (a smoke run's 2,000 cases)
            ids = list((await conn.execute(text("select case_id from cases limit 2000"))).scalars())
        cursors = {depth: paging.encode(PageKey(*(await conn.execute(text(
            "select created_at, case_id from cases order by created_at desc, case_id offset :n limit 1"),
            {"n": min(depth, max(0, total - 50))})).one()), by_deadline=False) for depth in (50, 10_000, 100_000)}
        busiest = (await conn.execute(text(
            "select owner_cadre_id from cases where status not in ('resolved', 'closed', 'reviewed', 're_reviewed') "
            "group by 1 order by count(*) desc limit 1"))).scalar_one()
    rng = random.Random(3)
    district, block = Actor(Role.LEADER, "t-sec"), Actor(Role.LEADER, "t-lead01")
    cadre = Actor(Role.LEADER if busiest.startswith("t-") else Role.CADRE, busiest)
    year = (now - timedelta(days=365), now)
    reads: dict[str, Read] = {
        "case_by_id": lambda: app.handle(GetCase(district, rng.choice(ids))),
        "inbox_first_page": lambda: app.handle(Inbox(cadre, limit=50)),
        "dashboard_counts_block": lambda: app.handle(CountCases(block)),
        "dashboard_counts_district": lambda: app.handle(CountCases(district)),
        "rates_block_year": lambda: app.handle(Rates(block, *year)),
        "list_page_1": lambda: app.handle(ListCases(district, limit=50, offset=0)),
        "list_page_at_10k": lambda: app.handle(ListCases(district, limit=50, offset=10_000)),
        "list_page_at_100k": lambda: app.handle(ListCases(district, limit=50, offset=min(100_000, max(0, total - 50)))),
        # a walk by cursor about that deep: what a client paging on with `next_cursor` asks
        "list_page_after_50": lambda: app.handle(ListCases(district, limit=50, after=cursors[50])),
        "list_page_after_10k": lambda: app.handle(ListCases(district, limit=50, after=cursors[10_000])),
        "list_page_after_100k": lambda: app.handle(ListCases(district, limit=50, after=cursors[100_000])),
        "export_csv": lambda: _export(app, district),
        # floors in the same run: what PostgreSQL answers through an index, no scope, no Python
        "floor_row_by_primary_key": lambda: _raw(pipeline, "select * from cases where case_id = :id",
                                                 id=rng.choice(ids)),
        "floor_page_by_owner_index": lambda: _raw(
            pipeline, "select * from cases where owner_cadre_id = :cadre and next_due_at is not null "
                      "order by next_due_at limit 50", cadre=busiest),
        # what a list page fetches (a summary's columns), straight from the newest-first index
        "floor_summary_page_by_newest_index": lambda: _raw(
            pipeline, f"select {', '.join(SUMMARY_COLUMNS)} from cases order by created_at desc, case_id limit 50"),
    }
    return reads, {"cases": total, "inbox_cadre": busiest, "block": "t-lead01 (20 villages)"}


async def _export(app: Any, actor: Actor) -> int:
    """The CSV export through its router, the stream read to its end: the file's bytes."""
    response = await cases_router.export_cases(app, actor)
    return sum([len(chunk) async for chunk in response.body_iterator])


async def _raw(pipeline: Pipeline, sql: str, **params: Any) -> list[Any]:
    async with pipeline.engine.connect() as conn:
        return list(await conn.execute(text(sql), params))


async def _timed(read: Read, budget: float, *, max_runs: int) -> dict[str, Any]:
    await read()  # warm: the plan cache and the roster
    samples: list[float] = []
    deadline = time.perf_counter() + budget
    while len(samples) < max_runs and (time.perf_counter() < deadline or len(samples) < 3):
        started = time.perf_counter()
        await read()
        samples.append((time.perf_counter() - started) * 1000)
    return {"runs": len(samples), **percentiles(samples, 50, 99), "max": round(max(samples), 2)}


async def _export_memory(read: Read) -> dict[str, Any]:
    """Python's peak allocation while the export runs, and its answer's size."""
    rss = psutil.Process().memory_info().rss
    tracemalloc.start()
    size = await read()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"python_peak_mb": round(peak / 2**20, 1), "body_mb": round(size / 2**20, 2),
            "rss_growth_mb": round((psutil.Process().memory_info().rss - rss) / 2**20, 1)}


def _cut(text: str, limit: int = 1500) -> str:
    return text if len(text) <= limit else f"{text[:limit]} … ({len(text)} characters)"


async def _plans(pipeline: Pipeline, reads: dict[str, Read]) -> str:
    """Each read once with its statements recorded, then each statement under EXPLAIN ANALYZE."""
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        sent.append((statement, parameters))

    out = []
    for name, read in reads.items():
        sent.clear()
        event.listen(pipeline.engine.sync_engine, "before_cursor_execute", record)
        try:
            await read()
        finally:
            event.remove(pipeline.engine.sync_engine, "before_cursor_execute", record)
        for statement, parameters in list(sent):
            if not statement.lstrip().lower().startswith("select"):
                continue
            async with pipeline.engine.connect() as conn:
                plan = (await conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters)).scalars()
                out.append(f"== {name}\n{_cut(statement)}\n-- {_cut(repr(parameters))}\n"
                           + "\n".join(_cut(line) for line in plan) + "\n")
    return "\n".join(out)
