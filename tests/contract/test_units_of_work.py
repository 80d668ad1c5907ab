"""One contract, two implementations: the same use cases and assertions on the in-memory
unit of work and on PostgreSQL. What a service test proves in memory holds on the database
only because these pass on both (the eventsourcing pattern: one repository test suite)."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import text

from infra.bootstrap import bootstrap
from infra.db.due_probe import due_probe
from infra.services.app import Minqing
from infra.services.casework import AcceptCase
from infra.services.dead_letters import ListDeadLetters, ReplayDeadLetters
from infra.services.intake import IntakeItem
from infra.services.oversight import DecideExtension, RequestExtension
from infra.services.ports import CaseChangedMeanwhile, CaseFilter
from infra.services.reads import GetCase, Inbox, ListCases
from models.access import Actor, Role
from models.case import record
from tests.conftest import SHANGHAI, hotline_call
from tests.contract.conftest import Clock

ADMIN = Actor(Role.ADMIN)
V1DIR = Actor(Role.CADRE, "v1-dir")
LEAD1, SECRETARY = Actor(Role.LEADER, "t-lead1"), Actor(Role.LEADER, "t-sec")


pytestmark = pytest.mark.integration


def _call(phone: str, **overrides: Any) -> dict[str, Any]:
    caller = {"name": "测", "phone": phone, "id_number": None, "anonymous": False}
    return hotline_call(f"k-{uuid.uuid4().hex[:16]}", caller=caller, **overrides)


def _phone() -> str:
    return f"137{uuid.uuid4().int % 10**8:08d}"


async def _ingest(app: Minqing, *events: dict[str, Any] | bytes) -> list[Any]:
    items = [IntakeItem("hotline.calls", e if isinstance(e, bytes) else orjson.dumps(e)) for e in events]
    return [o.decision for o in await app.ingest(items)]


async def test_intake_outcomes_and_the_case_an_event_became(backend: tuple[Minqing, Clock]) -> None:
    app, _ = backend
    first = _call(_phone())
    repeat = {**first, "event_id": first["event_id"] + "-r"}
    poison = orjson.dumps({"event_id": f"poison-{uuid.uuid4().hex}"})
    kinds = [d.kind for d in await _ingest(app, first, first, repeat, poison)]
    assert kinds == ["opened", "duplicate", "linked", "rejected"]
    page = await app.handle(ListCases(ADMIN, CaseFilter(source_event_id=repeat["event_id"])))
    assert page.total == 1 and page.items[0]["source_event_id"] == first["event_id"]
    letters = await app.handle(ListDeadLetters(ADMIN, "hotline.calls", False, 10_000))
    assert any(poison == letter["value"] for letter in letters)


async def test_filters_order_and_counts_agree(backend: tuple[Minqing, Clock]) -> None:
    app, clock = backend
    phone, marker = _phone(), f"契约{uuid.uuid4().hex[:8]}"
    decisions = await _ingest(app, _call(phone, kind="complaint", summary=f"{marker} 投诉"),
                              _call(_phone(), kind="consult", summary=f"{marker} 咨询"),
                              _call(_phone(), category="roads", dialed_cadre_id="v1-ddir", summary=f"{marker} 道路"))
    ours = tuple(d.case_id for d in decisions)
    await app.handle(AcceptCase(V1DIR, ours[0]))
    clock.now += timedelta(days=5)

    async def ids(**f: Any) -> list[str]:
        page = await app.handle(ListCases(ADMIN, CaseFilter(case_ids=ours, **f), limit=10))
        return sorted(c["case_id"] for c in page.items)

    assert await ids(phone=phone) == [ours[0]]
    assert await ids(overdue=True) == sorted([ours[1], ours[2]])  # first contact was due in a working day
    assert await ids(overdue=False) == [ours[0]]                   # accepted: 15 working days to handle
    assert await ids(categories=("roads",)) == [ours[2]]
    assert await ids(open=True) == sorted(ours)
    assert await ids(occurred_until=clock.now - timedelta(days=6)) == []
    inbox = await app.handle(Inbox(V1DIR, limit=200, q=marker))  # the shared database holds others' cases too
    mine = [c["case_id"] for c in inbox.items if c["case_id"] in ours]
    assert mine == [ours[1], ours[0]], "nearest deadline first (the roads case is v1-ddir's)"


async def test_one_pending_extension_request_and_one_decision(backend: tuple[Minqing, Clock]) -> None:
    app, _ = backend
    (decision,) = await _ingest(app, _call(_phone()))
    case_id = decision.case_id
    await app.handle(AcceptCase(V1DIR, case_id))
    asked = await asyncio.gather(app.handle(RequestExtension(V1DIR, case_id, 5, "一")),
                                 app.handle(RequestExtension(V1DIR, case_id, 6, "二")), return_exceptions=True)
    assert sorted(type(a).__name__ for a in asked) == ["Conflict", "dict"]
    request = next(a for a in asked if isinstance(a, dict))
    decided = await asyncio.gather(app.handle(DecideExtension(LEAD1, request["id"], True)),
                                   app.handle(DecideExtension(SECRETARY, request["id"], True)),
                                   return_exceptions=True)
    assert sorted(type(d).__name__ for d in decided) == ["Conflict", "dict"]
    page = await app.handle(ListCases(ADMIN, CaseFilter(case_ids=(case_id,))))
    case = await app.handle(GetCase(ADMIN, case_id))
    assert [e["type"] for e in case["timeline"]].count("extended") == 1 and page.total == 1


async def test_escalation_claims_each_due_case_once(backend: tuple[Minqing, Clock]) -> None:
    app, clock = backend
    decisions = await _ingest(app, *(_call(_phone(), kind="consult") for _ in range(3)))
    ours = tuple(d.case_id for d in decisions)
    clock.now += timedelta(days=30)
    while sum(await asyncio.gather(app.escalate_due(batch_size=2), app.escalate_due(batch_size=2))):
        pass
    page = await app.handle(ListCases(ADMIN, CaseFilter(case_ids=ours)))
    assert {c["escalation_level"] for c in page.items} == {3}
    for case_id in ours:
        case = await app.handle(GetCase(ADMIN, case_id))
        assert [e["type"] for e in case["timeline"]].count("escalated") == 1


async def test_a_lost_race_is_refused_whole_never_overwritten(backend: tuple[Minqing, Clock]) -> None:
    """`save_many` writes a case only at the version its `before` was loaded at: a change
    computed from a stale load is refused (`CaseChangedMeanwhile`) with nothing of the batch
    written, not even the cases that were still current."""
    app, clock = backend
    first, second = (d.case_id for d in await _ingest(app, _call(_phone()), _call(_phone())))
    async with app.uows() as uow:
        loaded = await uow.cases.get_many([first, second], history=False)
        stale = [(before, record(before, "repeat_linked", clock.now, None, reason="a")) for before in loaded.values()]
    async with app.uows() as uow:
        winner = (await uow.cases.get_many([first]))[first]
        await uow.cases.save(winner, record(winner, "repeat_linked", clock.now, None, reason="won"))
        await uow.commit()
    async with app.uows() as uow:
        with pytest.raises(CaseChangedMeanwhile, match=first):
            await uow.cases.save_many(stale)
    async with app.uows() as uow:
        after = await uow.cases.get_many([first, second])
    assert [e.data.get("reason") for e in after[first].events if e.type == "repeat_linked"] == ["won"]
    assert after[second].version == loaded[second].version
    assert not [e for e in after[second].events if e.type == "repeat_linked"]


@pytest.mark.parametrize("scheduled", [False, True])
async def test_a_case_saved_without_its_history_keeps_when_it_was_last_touched(
        backend: tuple[Minqing, Clock], scheduled: bool) -> None:
    """The scheduler loads cases without their events and may save one unchanged (only its next
    look moved): that must not set its last change back to when it occurred, or a period's
    reads (`touched_since`: the rates, the overdue history) lose a case worked in the period."""
    app, clock = backend
    [decision] = await _ingest(app, _call(_phone(), occurred_at=clock.now.isoformat()))
    clock.now += timedelta(hours=2)
    accepted_at = clock.now
    await app.handle(AcceptCase(V1DIR, decision.case_id))
    async with app.uows() as uow:
        loaded = (await uow.cases.get_many([decision.case_id], history=False))[decision.case_id]
        await uow.cases.save_many([(loaded, loaded)], checked_at=clock.now, scheduled=scheduled)
        await uow.commit()
    touched = await app.handle(ListCases(ADMIN, CaseFilter(case_ids=(decision.case_id,), touched_since=accepted_at)))
    assert [c["case_id"] for c in touched.items] == [decision.case_id]


async def test_a_dead_letter_is_kept_once_and_replayed_through_the_outbox(backend: tuple[Minqing, Clock]) -> None:
    app, _ = backend
    poison = orjson.dumps({"event_id": f"bad-{uuid.uuid4().hex}"})
    await _ingest(app, poison)
    await _ingest(app, poison)
    letters = [x for x in await app.handle(ListDeadLetters(ADMIN, "hotline.calls", False, 10_000))
               if x["value"] == poison]
    assert len(letters) == 1
    assert await app.handle(ReplayDeadLetters(ADMIN, ids=(letters[0]["id"],))) == 1
    assert await app.handle(ReplayDeadLetters(ADMIN, ids=(letters[0]["id"],))) == 0


async def test_the_due_probe_finds_what_the_claim_would_and_nothing_before(engine: Any) -> None:
    """PostgreSQL's idle tick asks `due_probe` before opening a unit of work: it must find a
    case once its next look has come (else the tick would skip it), and nothing before any."""
    clock = Clock()
    app = bootstrap("", engine=engine, clock=clock, routing_wait=0).app
    (decision,) = await _ingest(app, _call(_phone(), kind="consult"))
    async with engine.connect() as conn:
        looked_at = (await conn.execute(text("select next_check_at from cases where case_id = :id"),
                                        {"id": decision.case_id})).scalar_one()

    assert await due_probe(engine, lambda: looked_at)()
    assert await due_probe(engine, lambda: looked_at + timedelta(days=30))()
    assert not await due_probe(engine, lambda: datetime(2001, 1, 1, tzinfo=SHANGHAI))()
