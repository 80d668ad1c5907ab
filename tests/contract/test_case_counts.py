"""The dashboard counts after any history of cases: a seeded random walk of intake (some calls
accusing a cadre or a village), acceptance, delegation, replies, callbacks, closing and the
escalation scheduler, on both units of work. At every few steps the counts each caller gets
(`CountCases`, `CountByVillage`) equal what the scoped list of their cases adds up to — on
PostgreSQL the first come from the kept summary (`case_counts`), the second from the cases
themselves — and on PostgreSQL the kept cells equal a recount of the whole table."""
from __future__ import annotations

import random
import uuid
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import text

from infra.db.case_counts import RECOUNT
from infra.services.app import Minqing
from infra.services.casework import AcceptCase, CloseCase, RecordCallback, ReplyToPetitioner
from infra.services.ports import CaseFilter
from infra.services.reads import CountByVillage, CountCases, GetCase
from models.access import Actor, Role, scope_for
from models.clock import overdue_at
from models.lifecycle import OPEN, CaseStatus
from tests.conftest import hotline_call
from tests.contract.conftest import Clock
from tests.contract.walk import ADMIN, OPERATOR, VILLAGES, Walk, village_cadre

pytestmark = pytest.mark.integration

ACCUSATIONS = [{"cadre_ids": ["v1-dir"], "unit_codes": []}, {"cadre_ids": [], "unit_codes": ["330782101202"]},
               {"cadre_ids": ["t-lead2"], "unit_codes": []}, {"cadre_ids": ["v3-m1"], "unit_codes": []}]
# the township with and without recusal, leaders of two villages (one of them accused), village
# secretaries, village cadres (one accused, one whose unit is accused), a member reached only
# as a cadre
READERS = [ADMIN, OPERATOR, Actor(Role.LEADER, "t-sec"), Actor(Role.LEADER, "t-lead1"), Actor(Role.LEADER, "t-lead2"),
           Actor(Role.CADRE, "v1-sec"), Actor(Role.CADRE, "v2-sec"), Actor(Role.CADRE, "v3-sec"),
           Actor(Role.CADRE, "v1-dir"), Actor(Role.CADRE, "v2-dir"),
           Actor(Role.CADRE, "v3-m1"), Actor(Role.PETITION_STAFF, "t-xf1")]


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


def _new_calls(rng: random.Random, clock: Clock) -> list[tuple[str, dict[str, Any]]]:
    calls = []
    for _ in range(rng.randint(1, 4)):
        village = rng.choice(VILLAGES)
        extra: dict[str, Any] = {"accused": rng.choice(ACCUSATIONS)} if rng.random() < 0.3 else {}
        calls.append(("hotline.calls", hotline_call(f"cc-{uuid.uuid4().hex[:16]}", village_code=village,
                                                    dialed_cadre_id=village_cadre(village, "dir"),
                                                    kind=rng.choice(["help", "consult", "complaint"]),
                                                    occurred_at=clock.now.isoformat(), **extra)))
    return calls


def _natural_next(rng: random.Random, worker: Actor, case_id: str) -> dict[str, Any]:
    return {"assigned": AcceptCase(worker, case_id), "accepted": ReplyToPetitioner(worker, case_id, "已处理"),
            "in_progress": ReplyToPetitioner(worker, case_id, "已处理"),
            "replied": RecordCallback(OPERATOR, case_id, rng.choice(["satisfied", "unsatisfied"]), True, "回访"),
            "resolved": CloseCase(OPERATOR, case_id)}


WALK = Walk(_new_calls, _natural_next, hours=[2, 20, 80, 300])


@pytest.mark.parametrize("seed", [1, 2])
async def test_counts_equal_the_scoped_cases_after_any_history(backend: tuple[Minqing, Clock], engine: Any,
                                                                request: pytest.FixtureRequest, seed: int) -> None:
    app, clock = backend
    kind = request.node.callspec.params["backend"]
    rng, ours = random.Random(seed), list[str]()
    await _check(app, engine, kind)
    for n in range(60):
        await WALK.step(app, clock, rng, ours)
        if n % 15 == 14:
            await _check(app, engine, kind)
    walked = [await app.handle(GetCase(ADMIN, case_id)) for case_id in ours]
    statuses = Counter(case["status"] for case in walked)
    assert len(statuses) >= 4, f"the walk should reach several statuses: {statuses}"
    assert any(case["escalation_level"] for case in walked) and any(case["accused"] for case in walked)
