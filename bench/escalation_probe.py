"""Where PostgreSQL's time goes per escalation batch (issue 12), a hand probe:
`python -m bench.escalation_probe [CASES] [INDEX,…]` loads CASES open cases as
`python -m bench escalation` does (a tenth due), optionally drops the named indexes (to see
what one costs), then drains the due cases while timing each statement kind, and runs the
second batch's claim, `UPDATE` and event `INSERT` once under `EXPLAIN (ANALYZE, BUFFERS,
WAL)` inside a savepoint before the real statement. Prints the plans, the time per
statement kind and the HOT updates of `cases`. Keeps no figures."""
from __future__ import annotations

import asyncio
import collections
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event, text

from bench.escalation import _bulk_load, _RunningClock, _template
from bench.pipeline import Pipeline
from infra.bootstrap import bootstrap

EXPLAINED = ("select cases.case_id", "update cases", "insert into case_events")


def _kind(statement: str) -> str:
    start = statement.lstrip()[:60].lower()
    for kind in (*EXPLAINED, "insert into case_counts", "select"):
        if start.startswith(kind):
            return kind
    return start[:30]


async def main(cases: int, drop: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="escalation-probe-") as tmp:
        pipeline = await Pipeline.start(Path(tmp))
        try:
            await _probe(pipeline, cases, drop)
        finally:
            await pipeline.close()


async def _probe(pipeline: Pipeline, cases: int, drop: list[str]) -> None:
    template, due_at = _template()
    print(f"loaded {cases} in {await _bulk_load(pipeline, template, cases, due_every=10, due_at=due_at):.1f} s")
    owner = await asyncpg.connect((pipeline.runtime.owner_database_url or "").replace("postgresql+asyncpg", "postgresql"))
    try:
        for name in drop:
            await owner.execute(f"drop index {name}")
        print(await owner.fetchval("select version()"))
        print("indexes on cases:", [tuple(r) for r in await owner.fetch(
            "select indexrelname, pg_relation_size(indexrelid) / 8192 from pg_stat_user_indexes"
            " where relname = 'cases' order by 1")])
    finally:
        await owner.close()
    timings: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0])
    batch, explained = [0], set()
    sync_engine = pipeline.engine.sync_engine

    @event.listens_for(sync_engine, "before_cursor_execute")
    def before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        kind = _kind(statement)
        if kind in EXPLAINED and kind not in explained and batch[0] == 2:
            explained.add(kind)
            cursor.execute("SAVEPOINT probe")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, WAL) " + statement, parameters)
            print(f"--- EXPLAIN {kind}")
            for row in cursor.fetchall():
                print(row[0])
            cursor.execute("ROLLBACK TO SAVEPOINT probe")
            cursor.execute("RELEASE SAVEPOINT probe")
        conn.info["started"] = time.perf_counter()

    @event.listens_for(sync_engine, "after_cursor_execute")
    def after(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        entry = timings[_kind(statement)]
        entry[0] += 1
        entry[1] += time.perf_counter() - conn.info.pop("started")

    dialect = type(sync_engine.dialect)
    plain_commit = dialect.do_commit

    def timed_commit(self: Any, dbapi_connection: Any) -> None:
        started = time.perf_counter()
        plain_commit(self, dbapi_connection)
        timings["commit"][0] += 1
        timings["commit"][1] += time.perf_counter() - started

    dialect.do_commit = timed_commit  # type: ignore[method-assign]
    app = bootstrap("", engine=pipeline.engine, clock=_RunningClock(due_at)).app
    hot = "select n_tup_upd, n_tup_hot_upd from pg_stat_user_tables where relname = 'cases'"
    async with pipeline.engine.connect() as conn:
        updated, hot_updated = (await conn.execute(text(hot))).one()
    started, cpu_started, escalated = time.perf_counter(), time.process_time(), 0
    try:
        while escalated < cases // 10:
            batch[0] += 1
            claimed = await app.escalate_due(batch_size=1000)
            escalated += claimed
            if not claimed:
                await asyncio.sleep(0.01)
    finally:
        dialect.do_commit = plain_commit  # type: ignore[method-assign]
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"drained {escalated} in {wall:.2f} s, scheduler CPU {cpu / escalated * 1e6:.1f} µs per case")
    for kind, (count, seconds) in sorted(timings.items(), key=lambda item: -item[1][1]):
        print(f"  {kind:28s} n={count:5.0f} total={seconds:7.3f} s per={seconds / count * 1000:7.2f} ms")
    await asyncio.sleep(1)  # the backends' statistics are flushed after their transactions
    async with pipeline.engine.connect() as conn:
        after_updated, after_hot = (await conn.execute(text(hot))).one()
    print("updates of cases / of them HOT:", after_updated - updated, after_hot - hot_updated)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
                     [name for name in (sys.argv[2] if len(sys.argv) > 2 else "").split(",") if name]))
