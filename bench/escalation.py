"""Benchmark 3: escalation lag. N open cases bulk-loaded into PostgreSQL (COPY), a tenth of
them becoming due at the same moment T; one scheduler (what each worker runs) drains them
under a clock that reads T when the run starts. Reports the time until all are escalated,
the p99 of (escalation committed − due), and the cost of an empty poll. With `schedulers` > 1
the drain runs in that many processes at once (`bench/escalation_drain.py`), racing for the
same cases as workers do, and the run counts the cases escalated more than once (must be 0)."""
from __future__ import annotations

import asyncio
import sys
import time
import uuid
from asyncio.subprocess import PIPE
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from sqlalchemy import text

from bench.report import percentiles, publish
from infra.case_opening import new_tracking_code
from infra.db.case_rows import case_columns, event_rows
from infra.demo.township import demo_roster
from infra.bootstrap import bootstrap
from models.attention import next_attention
from models.registration import NewCase, register
from models.roster import Roster
from models.routing import RoutingRequest
from bench.pipeline import ROOT, SHANGHAI, Pipeline

_COLUMNS = ("case_id", "tracking_code", "status", "source", "source_topic", "source_event_id", "village_code",
            "category", "kind", "urgency", "summary", "owner_cadre_id", "handler_cadre_id", "escalation_level",
            "deadlines", "next_due_at", "next_check_at", "routing", "event", "state", "version", "occurred_at",
            "created_at", "updated_at")


class _RunningClock:
    """Reads `start` when the run begins and moves with real time from there."""

    def __init__(self, start: datetime) -> None:
        self.start, self._t0 = start, time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._t0)


async def run(data_dir: Path, *, cases: int, smoke: bool, schedulers: int = 1, batch_size: int = 1000) -> dict[str, Any]:
    pipeline = await Pipeline.start(data_dir)
    try:
        template, due_at = _template()
        loaded_s = await _bulk_load(pipeline, template, cases, due_every=10, due_at=due_at)
        if schedulers == 1:
            figures = await _drain(pipeline, due_at, expected=cases // 10)
        else:
            figures = await _drain_in_processes(pipeline, due_at, expected=cases // 10, schedulers=schedulers,
                                                  batch_size=batch_size)
        figures["cases_escalated_twice"] = await _escalated_twice(pipeline)
    finally:
        await pipeline.close()
    name = "escalation" if schedulers == 1 else f"escalation-{schedulers}-schedulers"
    return publish(name, {"open_cases": cases, "due_together": cases // 10, "schedulers": schedulers,
                          "bulk_load_seconds": round(loaded_s, 1), **figures}, smoke=smoke)


async def _escalated_twice(pipeline: Pipeline) -> int:
    """Cases with more than one escalation: each due case owes exactly one level here (the next
    falls due days later), so any is a case two schedulers both escalated."""
    async with pipeline.engine.connect() as conn:
        return int((await conn.execute(text(
            "select count(*) from (select case_id from case_events where type = 'escalated'"
            " group by case_id having count(*) > 1) as twice"))).scalar() or 0)


async def _drain_in_processes(pipeline: Pipeline, due_at: datetime, *, expected: int, schedulers: int,
                              batch_size: int) -> dict[str, Any]:
    """Several scheduler processes started, connected and then released at one instant."""
    command = [sys.executable, "-m", "bench.escalation_drain", pipeline.runtime.database_url or "",
               due_at.isoformat(), str(expected), str(batch_size)]
    procs = [await asyncio.create_subprocess_exec(*command, cwd=ROOT, stdin=PIPE, stdout=PIPE)
             for _ in range(schedulers)]
    for proc in procs:
        line = await proc.stdout.readline() if proc.stdout else b""
        if line.strip() != b"ready":
            raise RuntimeError(f"a scheduler process did not start: {line!r}")
    started = time.time()
    for proc in procs:
        if proc.stdin:
            proc.stdin.write(f"go {started}\n".encode())
            await proc.stdin.drain()
    outputs = [await proc.communicate() for proc in procs]
    if any(proc.returncode for proc in procs):
        raise RuntimeError(f"a scheduler process failed: {[proc.returncode for proc in procs]}")
    results = [orjson.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    async with pipeline.engine.connect() as conn:
        recorded = (await conn.execute(text("select count(*) from case_events where type = 'escalated'"))).scalar()
    lags = [lag for result in results for lag in result["lags"]]
    drained = max(result["seconds"] for result in results)
    return {"escalated": recorded, "seconds_to_escalate_all": round(drained, 2),
            "escalations_per_s": round(expected / drained, 1),
            "claimed_per_scheduler": [result["claimed"] for result in results],
            "scheduler_cpu_us_per_escalation": round(sum(r["cpu_s"] for r in results) / expected * 1e6, 1),
            "lag_seconds": percentiles(lags, 50, 99, 100)}


def _template() -> tuple[Any, datetime]:
    """A consult call whose first-contact deadline passes at T; its 75% warning already given."""
    roster = Roster.from_contract(demo_roster())
    occurred = datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)
    case = register(NewCase("template", "template", RoutingRequest("hotline", "330782101201", "water", "v1-dir"),
                            "consult", "normal", occurred), roster, occurred)
    case = replace(case, warned_stages=frozenset({"first_contact"}))
    return case, next_attention(case) or occurred


async def _bulk_load(pipeline: Pipeline, template: Any, count: int, *, due_every: int, due_at: datetime) -> float:
    started = time.perf_counter()
    base = case_columns(template)
    state = base["state"]
    far = due_at + timedelta(days=60)
    dsn = (pipeline.runtime.database_url or "").replace("postgresql+asyncpg", "postgresql")
    connection = await asyncpg.connect(dsn)
    try:
        for offset in range(0, count, 50_000):
            rows, events = [], []
            for n in range(offset, min(count, offset + 50_000)):
                case_id = str(uuid.UUID(int=n + 1))
                rows.append(_row(base, state, case_id, f"bench-{n}", due_at if n % due_every == 0 else far))
                events.extend((e["event_id"].replace("template", case_id), case_id, e["seq"], e["type"], e["actor"],
                               e["at"], f"bench-{n}", orjson.dumps(e["data"]).decode())
                              for e in event_rows(template.events))
            await connection.copy_records_to_table("cases", records=rows, columns=_COLUMNS)
            await connection.copy_records_to_table(
                "case_events", records=events,
                columns=("event_id", "case_id", "seq", "type", "actor", "at", "source_event_id", "data"))
        await connection.execute("update case_events set published_at = now()")  # nothing for the relay
    finally:
        await connection.close()
    # As autovacuum leaves a table whose rows were written long before they fall due: without it
    # the claims read pages no one read since the COPY and set their hint bits, one full-page
    # image each in the WAL (data checksums), 7 MB per 1,000 claims — the load's, not the scheduler's.
    owner = await asyncpg.connect((pipeline.runtime.owner_database_url or "").replace("postgresql+asyncpg", "postgresql"))
    try:
        await owner.execute("vacuum (freeze, analyze) cases")
        await owner.execute("vacuum (freeze, analyze) case_events")
    finally:
        await owner.close()
    return time.perf_counter() - started


def _row(base: dict[str, Any], state: dict[str, Any], case_id: str, event_id: str, check_at: datetime) -> tuple:
    values = {**base, "case_id": case_id, "source_event_id": event_id, "tracking_code": new_tracking_code(),
              "source_topic": "hotline.calls", "summary": "自来水停水", "routing": orjson.dumps({}).decode(),
              "event": orjson.dumps({}).decode(), "state": orjson.dumps({**state, "case_id": case_id, "source_event_id": event_id}).decode(),
              "deadlines": orjson.dumps(base["deadlines"]).decode(), "next_check_at": check_at,
              "created_at": base["occurred_at"]}
    return tuple(values[c] for c in _COLUMNS)


async def _drain(pipeline: Pipeline, due_at: datetime, *, expected: int) -> dict[str, Any]:
    clock = _RunningClock(due_at)
    app = bootstrap("", engine=pipeline.engine, clock=clock).app
    wal_started = await _wal_position(pipeline)
    started, cpu_started = time.perf_counter(), time.process_time()
    escalated, lags = 0, []
    while escalated < expected:
        claimed = await app.escalate_due(batch_size=1000)
        committed = (clock() - due_at).total_seconds()  # run_once returns after its commit
        lags.extend([committed] * claimed)
        escalated += claimed
        if not claimed:
            await asyncio.sleep(0.01)
    drained, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    wal = await _wal_position(pipeline) - wal_started
    empty = []
    for _ in range(50):
        t = time.perf_counter()
        await app.escalate_due(batch_size=1000)
        empty.append((time.perf_counter() - t) * 1000)
    async with pipeline.engine.connect() as conn:
        recorded = (await conn.execute(text("select count(*) from case_events where type = 'escalated'"))).scalar()
    return {"escalated": recorded, "seconds_to_escalate_all": round(drained, 2),
            "escalations_per_s": round(expected / drained, 1),
            # the scheduler's own CPU (PostgreSQL runs in its own processes): steadier than the
            # wall clock on a shared machine
            "scheduler_cpu_us_per_escalation": round(cpu / expected * 1e6, 1),
            # the database's writes (heap, every index entry, full-page images): the machine's
            # load does not move it
            "wal_bytes_per_escalation": round(wal / expected),
            "lag_seconds": percentiles(lags, 50, 99, 100), "empty_poll_ms": percentiles(empty, 50, 99)}


async def _wal_position(pipeline: Pipeline) -> int:
    async with pipeline.engine.connect() as conn:
        return int((await conn.execute(text("select pg_current_wal_lsn() - '0/0'::pg_lsn"))).scalar_one())
