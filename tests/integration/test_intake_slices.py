"""On PostgreSQL: a matter's window, read for every batch's early-warning checks, is turned
into sightings a slice of rows at a time, the worker's event loop let run in between (a
burst's matter holds thousands of cases within a day)."""
from __future__ import annotations

import asyncio
import itertools
import uuid
from typing import Any

import orjson
import pytest

from infra.bootstrap import bootstrap
from infra.db import matter_repo
from infra.services.intake import IntakeItem
from tests.conftest import hotline_call

pytestmark = pytest.mark.integration


def _calls(count: int, village: str) -> list[IntakeItem]:
    return [IntakeItem("hotline.calls", orjson.dumps(hotline_call(
        f"s-{uuid.uuid4().hex[:16]}", village_code=village, category="environment",
        caller={"name": "测", "phone": f"135{uuid.uuid4().int % 10**8:08d}", "id_number": None,
                "anonymous": False}))) for _ in range(count)]


async def _ticks_per_sighting(engine: Any, monkeypatch: Any, items: list[IntakeItem]) -> list[int]:
    """How far another task had got as each stored row became a sighting."""
    app = bootstrap("", engine=engine).app
    ticks, seen = 0, []
    real = matter_repo.Sighting

    def sighting(*args: Any) -> Any:
        seen.append(ticks)
        return real(*args)

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    monkeypatch.setattr(matter_repo, "Sighting", sighting)
    running = asyncio.ensure_future(ticker())
    try:
        await app.ingest(items)
    finally:
        running.cancel()
    return seen


async def test_a_matters_window_becomes_sightings_a_slice_at_a_time(engine: Any, monkeypatch: Any) -> None:
    village = "330782101203"
    await bootstrap("", engine=engine).app.ingest(_calls(10, village))  # the window: at least 10 rows
    monkeypatch.setattr(matter_repo, "SIGHTING_ROWS", 3)
    runs = [len(list(run)) for _, run in itertools.groupby(await _ticks_per_sighting(engine, monkeypatch,
                                                                                    _calls(1, village)))]
    assert len(runs) >= 4 and max(runs) <= 3  # ≥ 10 rows, never more than a slice without the loop running
    monkeypatch.setattr(matter_repo, "SIGHTING_ROWS", 10**6)
    runs = [len(list(run)) for _, run in itertools.groupby(await _ticks_per_sighting(engine, monkeypatch,
                                                                                    _calls(1, village)))]
    assert len(runs) == 1 and runs[0] >= 11  # the control: in one slice the loop never ran in between
