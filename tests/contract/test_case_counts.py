"""The dashboard counts after any history of cases: a seeded random walk of intake (some calls
accusing a cadre or a village), acceptance, delegation, replies, callbacks, closing and the
escalation scheduler, on both units of work. At every few steps the counts each caller gets
(`CountCases`, `CountByVillage`) equal what the scoped list of their cases adds up to — on
PostgreSQL the first come from the kept summary (`case_counts`), the second from the cases
themselves — and on PostgreSQL the kept cells equal a recount of the whole table."""
from __future__ import annotations

import contextlib
import random
import uuid
from collections import Counter
from datetime import timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import text

from infra.db.case_counts import RECOUNT
from infra.services.app import Minqing
from infra.services.casework import AcceptCase, CloseCase, DelegateCase, RecordCallback, ReplyToPetitioner
from infra.services.errors import ServiceError
from infra.services.intake import IntakeItem
from infra.services.ports import CaseFilter
from infra.services.reads import CountByVillage, CountCases, GetCase
from models.access import Actor, Role, scope_for
from models.clock import overdue_at
from models.errors import DomainError
from models.lifecycle import OPEN, CaseStatus
from tests.conftest import hotline_call
from tests.contract.conftest import Clock

pytestmark = pytest.mark.integration

VILLAGES = ["330782101201", "330782101202", "330782101203", "330782101204", "330782101205"]
ACCUSATIONS = [{"cadre_ids": ["v1-dir"], "unit_codes": []}, {"cadre_ids": [], "unit_codes": ["330782101202"]},
               {"cadre_ids": ["t-lead2"], "unit_codes": []}, {"cadre_ids": ["v3-m1"], "unit_codes": []}]
ADMIN, OPERATOR = Actor(Role.ADMIN), Actor(Role.OPERATOR, "t-op1")
# the township with and without recusal, leaders of two villages (one of them accused), village
# secretaries, village cadres (one accused, one whose unit is accused), a member reached only
# as a cadre
READERS = [ADMIN, OPERATOR, Actor(Role.LEADER, "t-sec"), Actor(Role.LEADER, "t-lead1"), Actor(Role.LEADER, "t-lead2"),
           Actor(Role.CADRE, "v1-sec"), Actor(Role.CADRE, "v2-sec"), Actor(Role.CADRE, "v3-sec"),
           Actor(Role.CADRE, "v1-dir"), Actor(Role.CADRE, "v2-dir"),
           Actor(Role.CADRE, "v3-m1"), Actor(Role.PETITION_STAFF, "t-xf1")]


def _actor(cadre_id: str) -> Actor:
    return Actor(Role.LEADER if cadre_id.startswith("t-") else Role.CADRE, cadre_id)


async def _expected(app: Minqing, actor: Actor) -> tuple[dict[str, Any], dict[str, tuple[int, int, int]]]:
    """What the caller's cases add up to, from the plain scoped read of them."""
    async with app.uows() as uow:
        now = uow.now
        rows = await uow.reads.lines(scope_for(actor, uow.roster), CaseFilter())
    by_status = Counter(row["status"] for row in rows)
    still_open = [row for row in rows if CaseStatus(row["status"]) in OPEN]
    by_village: dict[str, tuple[int, int, int]] = {}
    for village in {row["village_code"] for row in still_open}:
        mine = [row for row in still_open if row["village_code"] == village]
        by_village[village] = (len(mine), sum(overdue_at(r["next_due_at"], now) for r in mine),
                               sum(r["escalation_level"] > 0 for r in mine))
    counts = {"total": len(rows), "open": len(still_open),
              "overdue": sum(overdue_at(row["next_due_at"], now) for row in rows),
              "escalated": sum(row["escalation_level"] > 0 for row in rows), "by_status": dict(by_status)}
    return counts, by_village


async def _check(app: Minqing, engine: Any, backend: str) -> None:
    for actor in READERS:
        counts, by_village = await _expected(app, actor)
        assert await app.handle(CountCases(actor)) == counts, actor
        per_village = await app.handle(CountByVillage(actor))
        found = {row["village_code"]: (row["open"], row["overdue"], row["escalated"])
                 for row in per_village["villages"] if row["open"]}
        assert found == by_village, actor
    if backend == "postgres":
        async with engine.connect() as conn:
            kept = set((await conn.execute(text("select * from case_counts where n <> 0"))).all())
            recounted = set((await conn.execute(text(RECOUNT))).all())
        assert kept == recounted


async def _step(app: Minqing, clock: Clock, rng: random.Random, ours: list[str]) -> None:
    move = rng.choices(["call", "work", "time"], weights=[2, 8, 1])[0]
    if move == "call" or not ours:
        events = []
        for _ in range(rng.randint(1, 4)):
            village = rng.choice(VILLAGES)
            extra: dict[str, Any] = {"accused": rng.choice(ACCUSATIONS)} if rng.random() < 0.3 else {}
            events.append(hotline_call(f"cc-{uuid.uuid4().hex[:16]}", village_code=village,
                                       dialed_cadre_id=f"v{VILLAGES.index(village) + 1}-dir",
                                       kind=rng.choice(["help", "consult", "complaint"]),
                                       occurred_at=clock.now.isoformat(), **extra))
        outcomes = await app.ingest([IntakeItem("hotline.calls", orjson.dumps(e)) for e in events])
        ours += [o.decision.case_id for o in outcomes if o.decision.kind == "opened"]
        return
    if move == "time":
        clock.now += timedelta(hours=rng.choice([2, 20, 80, 300]))
        while await app.escalate_due():
            pass
        return
    case_id = rng.choice(ours)
    case = await app.handle(GetCase(ADMIN, case_id))
    owner, handler, village = case["owner_cadre_id"], case["handler_cadre_id"], case["village_code"]
    worker = _actor(handler or owner)
    natural = {"assigned": AcceptCase(worker, case_id), "accepted": ReplyToPetitioner(worker, case_id, "已处理"),
               "in_progress": ReplyToPetitioner(worker, case_id, "已处理"),
               "replied": RecordCallback(OPERATOR, case_id, rng.choice(["satisfied", "unsatisfied"]), True, "回访"),
               "resolved": CloseCase(OPERATOR, case_id)}
    command = natural.get(case["status"]) if rng.random() < 0.8 else \
        DelegateCase(_actor(owner), case_id, f"v{VILLAGES.index(village) + 1}-m1")
    if command is None:
        return
    with contextlib.suppress(DomainError, ServiceError):  # refused here and now: the walk goes on
        await app.handle(command)


@pytest.mark.parametrize("seed", [1, 2])
async def test_counts_equal_the_scoped_cases_after_any_history(backend: tuple[Minqing, Clock], engine: Any,
                                                                request: pytest.FixtureRequest, seed: int) -> None:
    app, clock = backend
    kind = request.node.callspec.params["backend"]
    rng, ours = random.Random(seed), list[str]()
    await _check(app, engine, kind)
    for n in range(60):
        await _step(app, clock, rng, ours)
        if n % 15 == 14:
            await _check(app, engine, kind)
    walked = [await app.handle(GetCase(ADMIN, case_id)) for case_id in ours]
    statuses = Counter(case["status"] for case in walked)
    assert len(statuses) >= 4, f"the walk should reach several statuses: {statuses}"
    assert any(case["escalation_level"] for case in walked) and any(case["accused"] for case in walked)
