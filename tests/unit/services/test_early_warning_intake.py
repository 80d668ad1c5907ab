"""Early warning through intake: a late-arriving sighting completes a cluster around it."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from infra.services import intake_batch
from infra.services.app import Minqing
from infra.services.oversight import ListAlerts
from tests.unit.services.conftest import LEAD1, call, take_in

SHANGHAI_NOON = "T12:00:00+08:00"


def _at(day: str, hour: int) -> str:
    return (datetime.fromisoformat(day + SHANGHAI_NOON) + timedelta(hours=hour)).isoformat()


def _resident(n: int, at: str) -> dict[str, object]:
    return call(occurred_at=at, category="environment",
                caller={"name": f"居民{n}", "phone": f"1390000031{n}", "id_number": None, "anonymous": False})


async def test_a_call_logged_late_completes_the_cluster_of_the_calls_after_it(app: Minqing) -> None:
    day = "2026-11-24"
    await take_in(app, *[_resident(n, _at(day, hour)) for n, hour in enumerate((0, 1, 3, 4))])
    assert await app.handle(ListAlerts(LEAD1)) == []
    await take_in(app, _resident(9, _at(day, 2)))  # entered later, happened in the middle
    alerts = await app.handle(ListAlerts(LEAD1))
    assert len(alerts) == 1 and alerts[0]["petitioners"] == 5



async def _ticks_seen_while_deciding(app: Minqing, monkeypatch: Any, events: list[dict[str, Any]]) -> list[int]:
    """How far another task had got each time intake decided an event."""
    ticks = 0
    seen: list[int] = []
    original = intake_batch.BatchIntake._decide

    def deciding(self: Any, *args: Any) -> Any:
        seen.append(ticks)
        return original(self, *args)

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    monkeypatch.setattr(intake_batch.BatchIntake, "_decide", deciding)
    running = asyncio.ensure_future(ticker())
    try:
        await take_in(app, *events)
    finally:
        running.cancel()
    return seen


async def test_a_big_batch_lets_the_event_loop_run_between_slices(app: Minqing, monkeypatch: Any) -> None:
    """A Monday morning's backlog comes in batches of hundreds: deciding one must not stall the
    worker's other work (its timers, the relay, heartbeats) for its whole length."""
    count = 4 * intake_batch.DECIDE_SLICE
    sliced = await _ticks_seen_while_deciding(app, monkeypatch, [call() for _ in range(count)])
    assert len(set(sliced)) == 4  # the loop ran once between each two slices, never within one
    monkeypatch.setattr(intake_batch, "DECIDE_SLICE", count)
    whole = await _ticks_seen_while_deciding(app, monkeypatch, [call() for _ in range(count)])
    assert len(set(whole)) == 1  # the control: as one slice, nothing else ran while it was decided
