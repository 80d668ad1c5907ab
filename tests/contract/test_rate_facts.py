"""The three rates from the facts stored per case, after any history: a seeded random walk of
intake (hotline calls, some accusing a cadre or a village; diary entries, some resolved on the
spot), acceptance, declines, delegation, replies, callbacks of every kind (an unsatisfied one
sends the case back and a later one judges it again), closing and the escalation scheduler
(which saves cases loaded without their history), on both units of work. At every few steps
the rates each leader gets (`Rates`, by village and by owner, over several periods) equal
`models.rates.three_rates` replayed on the aggregates of the same cases with their full
history; on PostgreSQL every case's stored facts equal the domain's projection of it, and
migration 0014's backfill, run again over the walked cases, writes the same facts."""
from __future__ import annotations

import importlib
import random
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import text

from infra.db.case_rows import RATE_COLUMNS, rate_columns
from infra.services.app import Minqing
from infra.services.casework import AcceptCase, CloseCase, RecordCallback, ReplyToPetitioner
from infra.services.insight import Rates
from infra.services.intake import IntakeItem
from infra.services.lifecycle import DeclineMatter
from infra.services.ports import CaseFilter
from infra.services.reads import GetCase
from models.access import Actor, Role, scope_for
from models.case import Case
from models.rates import three_rates
from tests.conftest import hotline_call
from tests.contract.conftest import Clock
from tests.contract.walk import ADMIN, OPERATOR, VILLAGES, Walk, actor_of, village_cadre

pytestmark = pytest.mark.integration

# the accused never see the case; an accused leader's superiors below him neither (`hidden_from`)
ACCUSATIONS = [{"cadre_ids": ["v1-dir"], "unit_codes": []}, {"cadre_ids": [], "unit_codes": ["330782101202"]},
               {"cadre_ids": ["t-lead2"], "unit_codes": []}, {"cadre_ids": ["t-lead1"], "unit_codes": []}]
LEADERS = [Actor(Role.LEADER, cadre) for cadre in ("t-sec", "t-lead1", "t-lead2", "t-lead3")]


def _periods(began: datetime, now: datetime) -> list[tuple[datetime, datetime]]:
    """The whole walk, its first and second half, a day ending now and a period ending before
    now (deadlines that pass after its end are not judged in it)."""
    middle = began + (now - began) / 2
    return [(began - timedelta(hours=1), now + timedelta(hours=1)), (began, middle), (middle, now),
            (now - timedelta(days=1), now), (began + timedelta(hours=3), now - timedelta(hours=30))]


async def _replayed(app: Minqing, actor: Actor, start: datetime, end: datetime, by: str) -> list[dict[str, Any]]:
    """What the use case answered before the facts were stored: the aggregates with their
    history, grouped, and `three_rates` replayed on each group."""
    async with app.uows() as uow:
        loaded = await uow.reads.aggregates(scope_for(actor, uow.roster),
                                            CaseFilter(occurred_until=end, touched_since=start))
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in loaded.values():
        groups[(case.village_code if by == "village" else case.owner_cadre_id) or ""].append(case)
    rows = []
    for key in sorted(groups):
        three = three_rates(groups[key], start, end)
        rows.append({"key": key, "cases": len(groups[key]), "response": three.response,
                     "resolution": three.resolution, "satisfaction": three.satisfaction})
    return rows


async def _check(app: Minqing, clock: Clock, began: datetime) -> int:
    """Every leader, period and grouping; how many rates had a denominator (the walk must judge)."""
    judged = 0
    for actor in LEADERS:
        for start, end in _periods(began, clock.now):
            for by in ("village", "cadre"):
                found = await app.handle(Rates(actor, start, end, by))  # type: ignore[arg-type]
                assert found == await _replayed(app, actor, start, end, by), (actor, start, end, by)
                judged += sum(bool(row[name].denominator) for row in found
                              for name in ("response", "resolution", "satisfaction"))
    return judged


async def _check_stored(app: Minqing, engine: Any, ours: list[str]) -> None:
    """The facts each case row holds are the domain's projection of its full history, and the
    migration's backfill, run again over these rows, writes the same facts."""
    async with app.uows() as uow:
        full = await uow.cases.get_many(ours)
    names = list(RATE_COLUMNS.values())
    query = text(f"select case_id, {', '.join(names)} from cases where case_id = any(:ids) order by case_id")
    migration = importlib.import_module("infra.migrations.versions.0014_rate_facts")
    async with engine.connect() as conn:
        stored = {row[0]: dict(zip(names, row[1:])) for row in await conn.execute(query, {"ids": ours})}
        await conn.execute(text(f"update cases set {', '.join(f'{n} = null' for n in names)} "
                                "where case_id = any(:ids)"), {"ids": ours})
        await conn.execute(text(migration._BACKFILL), {"low": "", "high": max(ours)})
        backfilled = {row[0]: dict(zip(names, row[1:])) for row in await conn.execute(query, {"ids": ours})}
        await conn.rollback()  # the walked rows stay as the application wrote them
    projected = {case_id: {n: rate_columns(case)[n] for n in names} for case_id, case in full.items()}
    for case_id in ours:
        facts = projected[case_id]
        if facts["callback_at"] is None:  # no callback: the stored solved flag is not a fact
            facts["callback_solved"] = stored[case_id]["callback_solved"] = backfilled[case_id]["callback_solved"] = None
    assert stored == projected
    assert backfilled == projected


def _new_events(rng: random.Random, clock: Clock) -> list[tuple[str, dict[str, Any]]]:
    return [_event(rng, clock) for _ in range(rng.randint(1, 3))]


def _event(rng: random.Random, clock: Clock) -> tuple[str, dict[str, Any]]:
    village = rng.choice(VILLAGES)
    if rng.random() < 0.25:
        on_spot = rng.random() < 0.6
        entry: dict[str, Any] = {"event_id": f"d-{uuid.uuid4().hex[:16]}", "occurred_at": clock.now.isoformat(),
                                 "village_code": village, "category": "water", "summary": "自来水压力不够",
                                 "author_cadre_id": village_cadre(village, "m1"), "household": "张家",
                                 "problems": "自来水压力不够", "resolved_on_spot": on_spot}
        if on_spot:
            entry["resolution"] = "当场联系水电员处理"
        return "diary.entries", entry
    extra: dict[str, Any] = {"accused": rng.choice(ACCUSATIONS)} if rng.random() < 0.35 else {}
    return "hotline.calls", hotline_call(f"cc-{uuid.uuid4().hex[:16]}", village_code=village,
                                         dialed_cadre_id=village_cadre(village, "dir"),
                                         kind=rng.choice(["help", "consult", "complaint"]),
                                         occurred_at=clock.now.isoformat(), **extra)


def _natural_next(rng: random.Random, worker: Actor, case_id: str) -> dict[str, Any]:
    """Every kind of first answer and callback, so every rate's numerator and denominator move."""
    callback = rng.choice(["satisfied", "satisfied", "unsatisfied", "unreachable"])
    return {"assigned": rng.choice([AcceptCase(worker, case_id), AcceptCase(worker, case_id),
                                    DeclineMatter(worker, case_id, "不属于受理范围", "书面告知")]),
            "accepted": ReplyToPetitioner(worker, case_id, "已处理"),
            "in_progress": ReplyToPetitioner(worker, case_id, "已处理"),
            "replied": RecordCallback(OPERATOR, case_id, callback, rng.random() < 0.7, "回访"),  # type: ignore[arg-type]
            "resolved": CloseCase(OPERATOR, case_id)}


WALK = Walk(_new_events, _natural_next, hours=[1, 5, 20, 60, 200], weights=(2, 8, 2), natural_share=0.85)


async def _sent_back_and_escalated(app: Minqing, clock: Clock, ours: list[str]) -> str:
    """A case judged unsatisfied that then waits past its deadline: the scheduler saves it
    loaded without its history, which shows no callback, and its stored callback must stay."""
    outcomes = await app.ingest([IntakeItem("hotline.calls", orjson.dumps(hotline_call(
        f"cc-{uuid.uuid4().hex[:16]}", occurred_at=clock.now.isoformat())))])
    case_id = outcomes[0].decision.case_id
    ours.append(case_id)
    worker = actor_of((await app.handle(GetCase(ADMIN, case_id)))["owner_cadre_id"])
    for command in (AcceptCase(worker, case_id), ReplyToPetitioner(worker, case_id, "已处理"),
                    RecordCallback(OPERATOR, case_id, "unsatisfied", False, "没修好")):
        await app.handle(command)
    for _ in range(12):
        clock.now += timedelta(days=10)
        while await app.escalate_due():
            pass
    return case_id


@pytest.mark.parametrize("seed", [1, 2])
async def test_rates_from_stored_facts_equal_the_replayed_history(backend: tuple[Minqing, Clock], engine: Any,
                                                                  request: pytest.FixtureRequest, seed: int) -> None:
    app, clock = backend
    kind = request.node.callspec.params["backend"]
    rng, ours, began = random.Random(seed), list[str](), clock.now
    judged = 0
    for n in range(80):
        await WALK.step(app, clock, rng, ours)
        if n % 20 == 19:
            judged += await _check(app, clock, began)
    sent_back = await _sent_back_and_escalated(app, clock, ours)
    judged += await _check(app, clock, began)
    if kind == "postgres":
        await _check_stored(app, engine, ours)
    walked = [await app.handle(GetCase(ADMIN, case_id)) for case_id in ours]
    statuses = {case["status"] for case in walked}
    assert {"resolved", "closed"} & statuses and judged > 0, statuses
    assert any(case["escalation_level"] for case in walked), "the scheduler should have saved some cases"
    timeline = [event["type"] for event in (await app.handle(GetCase(ADMIN, sent_back)))["timeline"]]
    assert "escalated" in timeline[timeline.index("reopened"):], timeline
