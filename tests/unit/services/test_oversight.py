"""Extensions and objections through the use cases, including the races that matter: two
leaders deciding one request, two requests at once, a decision racing an escalation."""
from __future__ import annotations

import asyncio

import pytest

from infra.memory.store import MemoryStore
from infra.services.app import Minqing
from infra.services.casework import AcceptCase, ObjectToCase
from infra.services.errors import Conflict, Forbidden, NotFound
from infra.services.oversight import DecideExtension, DecideObjection, ListExtensionRequests, RequestExtension
from tests.unit.services.conftest import LEAD1, SECRETARY, V1DIR, Actor, MovableClock, Role, call, take_in


async def _accepted_case(app: Minqing) -> str:
    (case_id,) = await take_in(app, call())
    await app.handle(AcceptCase(V1DIR, case_id))
    return case_id


async def test_an_approved_extension_moves_the_deadline_and_closes_the_request_together(
        app: Minqing, store: MemoryStore) -> None:
    case_id = await _accepted_case(app)
    due_before = store.tables.cases[case_id]["next_due_at"]
    request = await app.handle(RequestExtension(V1DIR, case_id, 10, "需要协调水利站"))
    decided = await app.handle(DecideExtension(LEAD1, request["id"], True, "同意"))
    assert decided["status"] == "approved" and decided["decided_by"] == "t-lead1"
    row = store.tables.cases[case_id]
    assert (row["next_due_at"] - due_before).days == 10
    assert [e["type"] for e in store.tables.events[case_id]][-1] == "extended"


async def test_two_pending_requests_for_one_case_are_impossible(app: Minqing, store: MemoryStore) -> None:
    case_id = await _accepted_case(app)
    outcomes = await asyncio.gather(app.handle(RequestExtension(V1DIR, case_id, 5, "一")),
                                    app.handle(RequestExtension(V1DIR, case_id, 7, "二")), return_exceptions=True)
    assert sum(isinstance(o, dict) for o in outcomes) == 1
    refused = next(o for o in outcomes if isinstance(o, Conflict))
    assert refused.code == "extension.pending_exists"
    assert len(store.tables.extension_requests) == 1


async def test_two_leaders_deciding_one_request_decide_it_once(app: Minqing, store: MemoryStore) -> None:
    case_id = await _accepted_case(app)
    request = await app.handle(RequestExtension(V1DIR, case_id, 10, "需要时间"))
    outcomes = await asyncio.gather(app.handle(DecideExtension(LEAD1, request["id"], True)),
                                    app.handle(DecideExtension(SECRETARY, request["id"], False, "不同意")),
                                    return_exceptions=True)
    decided = [o for o in outcomes if isinstance(o, dict)]
    assert len(decided) == 1 and isinstance(next(o for o in outcomes if not isinstance(o, dict)), Conflict)
    extended = [e for e in store.tables.events[case_id] if e["type"] == "extended"]
    assert len(extended) == (1 if decided[0]["status"] == "approved" else 0)
    assert store.tables.extension_requests[request["id"]]["status"] == decided[0]["status"]


async def test_a_decision_racing_an_escalation_leaves_one_consistent_case(
        app: Minqing, store: MemoryStore, clock: MovableClock) -> None:
    case_id = await _accepted_case(app)
    request = await app.handle(RequestExtension(V1DIR, case_id, 20, "需要时间"))
    clock.advance(days=40)  # long past the handling deadline: escalation is owed
    decided, escalated = await asyncio.gather(app.handle(DecideExtension(LEAD1, request["id"], True)),
                                              app.escalate_due())
    assert decided["status"] == "approved" and escalated >= 0
    events = store.tables.events[case_id]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1)), "no lost or doubled event"
    assert sum(e["type"] == "extended" for e in events) == 1
    assert store.tables.cases[case_id]["version"] == len(events)


async def test_a_request_is_decided_by_a_leader_who_can_see_it(app: Minqing) -> None:
    case_id = await _accepted_case(app)
    request = await app.handle(RequestExtension(V1DIR, case_id, 5, "时间"))
    with pytest.raises(Forbidden):
        await app.handle(DecideExtension(Actor(Role.CADRE, "v1-sec"), request["id"], True))
    with pytest.raises(NotFound):  # leader in charge of village 5 only
        await app.handle(DecideExtension(Actor(Role.LEADER, "t-lead3"), request["id"], True))
    pending = await app.handle(ListExtensionRequests(LEAD1))
    assert [r["id"] for r in pending] == [request["id"]]


async def test_an_objection_is_decided_by_transfer_to_an_owner_who_is_not_accused(app: Minqing) -> None:
    (case_id,) = await take_in(app, call(accused={"cadre_ids": ["v1-m2"], "unit_codes": []}))
    await app.handle(ObjectToCase(V1DIR, case_id, "不是我分管的"))
    with pytest.raises(Conflict):
        await app.handle(DecideObjection(LEAD1, case_id, "transfer", "转交", "v1-m2"))
    moved = await app.handle(DecideObjection(LEAD1, case_id, "transfer", "转交", "v1-m1"))
    assert moved["owner_cadre_id"] == "v1-m1" and moved["status"] == "assigned"
