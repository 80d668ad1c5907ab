"""Early warning through intake: a late-arriving sighting completes a cluster around it."""
from __future__ import annotations

import asyncio
import itertools
from datetime import datetime, timedelta
from typing import Any

from infra.memory.repositories import MemoryCases
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



class _Ticks:
    """A task that only counts how often the event loop let it run, beside the intake."""

    def __init__(self) -> None:
        self.count = 0

    async def run(self) -> None:
        while True:
            self.count += 1
            await asyncio.sleep(0)


async def _ticks_seen(app: Minqing, monkeypatch: Any, events: list[dict[str, Any]]) -> tuple[list[int], list[int]]:
    """How far another task had got each time intake decided an event, and each time it
    projected a new case for the store (one entry per case, so slices show as runs)."""
    ticks, decided, written = _Ticks(), [], []
    original_decide, original_add = intake_batch.BatchIntake._decide, MemoryCases.add_opened

    def deciding(self: Any, *args: Any) -> Any:
        decided.append(ticks.count)
        return original_decide(self, *args)

    async def adding(self: Any, openings: Any) -> None:
        written.extend(ticks.count for _ in openings)  # the store projects the whole list at once
        await original_add(self, openings)

    monkeypatch.setattr(intake_batch.BatchIntake, "_decide", deciding)
    monkeypatch.setattr(MemoryCases, "add_opened", adding)
    running = asyncio.ensure_future(ticks.run())
    try:
        await take_in(app, *events)
    finally:
        running.cancel()
    return decided, written


def _runs(seen: list[int]) -> list[int]:
    """The lengths of the runs of equal ticks: how much work went by without the loop running."""
    return [len(list(run)) for _, run in itertools.groupby(seen)]


async def test_a_big_batch_lets_the_event_loop_run_between_slices(app: Minqing, monkeypatch: Any) -> None:
    """A Monday morning's backlog comes in batches of hundreds: deciding one must not stall the
    worker's other work (its timers, the relay, heartbeats) for its whole length."""
    count = 4 * intake_batch.DECIDE_SLICE
    decided, _ = await _ticks_seen(app, monkeypatch, [call() for _ in range(count)])
    assert _runs(decided) == [intake_batch.DECIDE_SLICE] * 4  # the loop ran between each two slices, never within
    monkeypatch.setattr(intake_batch, "DECIDE_SLICE", count)
    decided, _ = await _ticks_seen(app, monkeypatch, [call() for _ in range(count)])
    assert _runs(decided) == [count]  # the control: as one slice, nothing else ran while it was decided


async def test_a_big_batch_is_handed_to_the_store_in_slices(app: Minqing, monkeypatch: Any) -> None:
    """Projecting a new case for its row (the columns, the encoded state) costs about as much as
    deciding it: 500 of them in one call held the loop for hundreds of milliseconds."""
    count = 3 * intake_batch.WRITE_SLICE + 7
    _, written = await _ticks_seen(app, monkeypatch, [call() for _ in range(count)])
    assert _runs(written) == [intake_batch.WRITE_SLICE] * 3 + [7]
    monkeypatch.setattr(intake_batch, "WRITE_SLICE", count)
    _, written = await _ticks_seen(app, monkeypatch, [call() for _ in range(count)])
    assert _runs(written) == [count]  # the control: in one call, the loop never ran in between
