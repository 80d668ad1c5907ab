"""Issue 4's reliability tests 4 and 6: PostgreSQL stopped mid-ingest, and escalation
under a controlled clock with two schedulers racing."""
from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

import orjson
import pytest
from sqlalchemy import func, select, text

from infra.bootstrap import bootstrap
from infra.db.case_repo import load_cases
from infra.db.tables import case_events, cases
from infra.services.intake import IntakeItem
from models.escalation import escalation_for
from tests.conftest import hotline_call
from tests.reliability.harness import SHANGHAI, Pipeline, encoded

pytestmark = pytest.mark.integration


async def test_postgres_stopped_for_20_seconds_mid_ingest_loses_nothing(pipeline: Pipeline) -> None:
    events = await pipeline.mixed_events(6000, seed=51)
    await pipeline.produce(encoded(pipeline.settings, events))
    worker = pipeline.worker()
    worker.start()
    try:
        await pipeline.wait_for_outcomes(len(events) // 5, timeout=300)
        database = pipeline.runtime.postgres
        assert database is not None
        await asyncio.to_thread(database.stop)
        await asyncio.sleep(20)
        await asyncio.to_thread(database.start)
        assert await pipeline.wait_for_outcomes(len(events), timeout=600) == len(events)
        assert worker.alive, "the worker died with the database"
        await pipeline.assert_exact_counts(len(events), worker)
    finally:
        worker.stop()


class _FixedClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def test_two_schedulers_escalate_each_overdue_case_once_to_the_right_level(pipeline: Pipeline) -> None:
    now = datetime(2026, 12, 21, 10, 0, tzinfo=SHANGHAI)
    clock = _FixedClock(now)
    system = bootstrap("", engine=pipeline.engine, clock=clock)
    ages = [timedelta(hours=h) for h in (1, 20, 30, 50, 80, 120, 200, 300, 500, 900)]
    items = [IntakeItem("hotline.calls", orjson.dumps(hotline_call(
        f"old-{n}-{i}", occurred_at=(now - age).isoformat(), kind=kind)))
        for i, age in enumerate(ages) for n, kind in enumerate(("consult", "help", "complaint"))]
    outcomes = await system.app.ingest(items)
    assert {o.decision.kind for o in outcomes} == {"opened"}
    case_ids = [o.decision.case_id or "" for o in outcomes]
    roster = await system.rosters.current()
    async with pipeline.engine.connect() as conn:
        expected = {cid: escalation_for(case, roster, now).level
                    for cid, case in (await load_cases(conn, case_ids)).items()}
    assert max(expected.values()) == 3 and min(expected.values()) == 0

    first, second = (bootstrap("", engine=pipeline.engine, clock=clock).app for _ in range(2))
    while sum(await asyncio.gather(first.escalate_due(batch_size=4), second.escalate_due(batch_size=4))):
        pass

    async with pipeline.engine.connect() as conn:
        levels = dict((await conn.execute(select(cases.c.case_id, cases.c.escalation_level))).all())
        twice = (await conn.execute(text(
            "select count(*) from (select case_id, data->>'level' from case_events where type = 'escalated' "
            "group by 1, 2 having count(*) > 1) d"))).scalar_one()
        jumps = (await conn.execute(select(case_events.c.case_id, func.count()).where(
            case_events.c.type == "escalated").group_by(case_events.c.case_id))).all()
    assert levels == expected
    assert twice == 0
    assert all(count == 1 for _, count in jumps), "a long-overdue case climbs several levels in one step"


async def test_an_event_overdue_on_arrival_is_escalated_within_seconds(pipeline: Pipeline) -> None:
    occurred = datetime.now(SHANGHAI) - timedelta(days=40)
    event = hotline_call("late-1", occurred_at=occurred.isoformat(), kind="consult")
    worker = pipeline.worker()
    worker.start()
    try:
        await pipeline.produce(encoded(pipeline.settings, [("hotline.calls", event)]))
        deadline = time.monotonic() + 60
        level = 0
        while time.monotonic() < deadline and level < 3:
            level = await pipeline.scalar(select(func.coalesce(func.max(cases.c.escalation_level), 0))
                                          .where(cases.c.source_event_id == "late-1"))
            await asyncio.sleep(0.2)
        assert level == 3, "forty days overdue: up to the township party secretary"
        lag = await pipeline.scalar(text(
            "select extract(epoch from (e.at - c.created_at)) from case_events e join cases c using (case_id) "
            "where c.source_event_id = 'late-1' and e.type = 'escalated'"))
        assert float(lag) < 5, f"escalated {lag}s after the case was opened"
    finally:
        worker.stop()
