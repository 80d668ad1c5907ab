"""`python -m bench.inbox_plans LABEL`: the inbox alone on the restored 100 k dump (built by
`python -m bench reads --cases 100000`) — what "The inbox as index-ordered arms" in
bench/README.md reports. The busiest owner's first page, the page after its cursor, the first
page with closed cases, and a light cadre's: each statement the use case sends prepared and
explained (ANALYZE, BUFFERS) under a forced custom and a forced generic plan (asyncpg's
prepared statements switch to the generic one); then the first page timed in-process like
`bench.reads` (200 runs after 20 warm-ups) and profiled. Run it from main's worktree and from a
branch alternately: the machine is shared."""
from __future__ import annotations

import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event

from bench import bulk_load
from infra.bootstrap import bootstrap
from infra.services.reads import Inbox
from models.access import Actor, Role

CASES = 100_000


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


async def _explain(conn: asyncpg.Connection, statement: str, params: Any) -> str:
    values = ", ".join(_literal(v) for v in params)
    out = []
    for mode in ("force_custom_plan", "force_generic_plan"):
        await conn.execute(f"set plan_cache_mode = {mode}")
        await conn.execute(f"prepare p as {statement}")
        rows = await conn.fetch(f"explain (analyze, buffers) execute p({values})" if values
                                else "explain (analyze, buffers) execute p")
        await conn.execute("deallocate p")
        out.append(f"---- {mode}\n" + "\n".join(r[0] for r in rows))
    return "\n".join(out)


async def main(label: str) -> None:
    with tempfile.TemporaryDirectory(prefix="inbox-plans-") as tmp:
        pipeline, seconds = await bulk_load.restore(Path(tmp), CASES)
        try:
            now = await bulk_load.district_now(pipeline)
            app = bootstrap("", engine=pipeline.engine, clock=lambda: now).app
            conn = await asyncpg.connect(bulk_load.dsn(pipeline))
            busiest = await conn.fetchval(
                "select owner_cadre_id from cases where status not in ('resolved', 'closed', 'reviewed', 're_reviewed') "
                "group by 1 order by count(*) desc limit 1")
            light = await conn.fetchval(
                "select owner_cadre_id from cases where owner_cadre_id like 'v%' group by 1 order by count(*) limit 1")
            print(label, "restore", round(seconds, 1), "busiest", busiest, "light", light, flush=True)
            cadre = Actor(Role.LEADER if busiest.startswith("t-") else Role.CADRE, busiest)
            first = await app.handle(Inbox(cadre, limit=50))
            print("first page", len(first.items), "total", first.total, flush=True)
            reads = {"first": Inbox(cadre, limit=50), "after": Inbox(cadre, limit=50, after=first.next_cursor),
                     "closed_too": Inbox(cadre, limit=50, include_closed=True),
                     "light": Inbox(Actor(Role.CADRE, light), limit=50, include_closed=True)}
            sent: list[tuple[str, Any]] = []

            def record(c: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
                sent.append((statement, parameters))

            for name, command in reads.items():
                sent.clear()
                event.listen(pipeline.engine.sync_engine, "before_cursor_execute", record)
                try:
                    await app.handle(command)
                finally:
                    event.remove(pipeline.engine.sync_engine, "before_cursor_execute", record)
                for statement, params in list(sent):
                    if statement.lstrip().lower().startswith("select"):
                        print(f"\n==== {label} {name}\n{statement[:400]} ...\n-- {len(params)} params\n"
                              + await _explain(conn, statement, params))
            await conn.close()
            await _timed(label, app, reads["first"])
        finally:
            await pipeline.close()


async def _timed(label: str, app: Any, command: Inbox) -> None:
    for _ in range(20):
        await app.handle(command)
    samples = []
    for _ in range(200):
        started = time.perf_counter()
        await app.handle(command)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    print(f"\n{label} first page in-process: p50 {samples[100]:.2f} p99 {samples[198]:.2f} ms")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(50):
        await app.handle(command)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(25)
    print(out.getvalue()[:6000])


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "run"))
