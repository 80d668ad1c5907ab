"""One scheduler process of the escalation benchmark (`--schedulers N`): imports and connects,
says `ready`, waits for `go` and the shared start instant on stdin, then drains due cases until
none is left and the database holds every expected escalation; prints its figures as JSON.
Run by `bench/escalation.py`, never by hand."""
from __future__ import annotations

import asyncio
import sys
import time
from datetime import datetime, timedelta

import orjson
from sqlalchemy import text

from infra.bootstrap import bootstrap


class _SharedClock:
    """`due_at` at the wall-clock instant the parent said go, moving with real time: every
    scheduler reads one timeline, so a lag is measured from the same due moment."""

    def __init__(self, due_at: datetime, wall_start: float) -> None:
        self.due_at, self.wall_start = due_at, wall_start

    def __call__(self) -> datetime:
        return self.due_at + timedelta(seconds=time.time() - self.wall_start)


async def drain(database_url: str, due_at: datetime, expected: int,
                batch_size: int) -> dict[str, float | int | list[float]]:
    clock = _SharedClock(due_at, time.time())
    system = bootstrap(database_url, clock=clock, pool_size=2)
    async with system.engine.connect() as conn:
        await conn.execute(text("select 1"))
    print("ready", flush=True)
    go = sys.stdin.readline().split()
    clock.wall_start = float(go[1])
    cpu_started = time.process_time()
    claimed_total, lags = 0, []
    while True:
        claimed = await system.app.escalate_due(batch_size=batch_size)
        lags.extend([(clock() - due_at).total_seconds()] * claimed)
        claimed_total += claimed
        if claimed:
            continue
        async with system.engine.connect() as conn:
            done = (await conn.execute(text("select count(*) from case_events where type = 'escalated'"))).scalar()
        if (done or 0) >= expected:
            break
        await asyncio.sleep(0.01)
    finished = time.time() - clock.wall_start
    await system.engine.dispose()
    return {"claimed": claimed_total, "cpu_s": time.process_time() - cpu_started, "seconds": finished, "lags": lags}


if __name__ == "__main__":
    url, due, count, batch = sys.argv[1], datetime.fromisoformat(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    sys.stdout.write(orjson.dumps(asyncio.run(drain(url, due, count, batch))).decode() + "\n")
