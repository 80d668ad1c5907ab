"""Conflict of interest held by every path of the service layer (issue 11), as a property:
random accusations (village and township cadres, villages and groups) and random sequences
of calls, repeats, delegations, extension decisions and escalations, through the use cases
on the in-memory unit of work. Whoever the domain excludes for a case — the accused, their
units, everyone standing below them — never owns, handles, receives, acts for the recipient
or decides for it, and can read it by no path (detail, list, inbox, counts, alerts)."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infra.bootstrap import bootstrap_memory
from infra.demo.township import demo_roster
from infra.memory.store import MemoryStore
from infra.services.app import Minqing
from infra.services.casework import AcceptCase, DelegateCase
from infra.services.errors import ServiceError
from infra.services.intake import IntakeItem
from infra.services.oversight import DecideExtension, ListAlerts, RequestExtension
from infra.services.ports import CaseFilter
from infra.services.reads import CountCases, GetCase, Inbox, ListCases
from models import posts as P
from models.access import Actor, Role
from models.conflict import recusal_for
from models.roster import Roster
from tests.conftest import SHANGHAI, hotline_call

ROSTER = Roster.from_contract(demo_roster())
VILLAGES = [v.code for v in ROSTER.villages()]
CADRES = sorted(c.cadre_id for c in ROSTER.cadres)
UNITS = sorted(u.code for u in ROSTER.units if u.kind != P.TOWNSHIP)
LEADERS = sorted(c.cadre_id for c in ROSTER.cadres if ROSTER.is_leader(c.cadre_id))
START = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)


def actor_of(cadre_id: str) -> Actor:
    cadre = ROSTER.cadre(cadre_id)
    if ROSTER.is_leader(cadre_id):
        return Actor(Role.LEADER, cadre_id)
    if P.PETITION_STAFF in cadre.posts:
        return Actor(Role.PETITION_STAFF, cadre_id)
    if P.OPERATOR in cadre.posts:
        return Actor(Role.OPERATOR, cadre_id)
    return Actor(Role.CADRE, cadre_id)


calls = st.tuples(st.sampled_from(VILLAGES), st.one_of(st.none(), st.sampled_from(CADRES)),
                  st.lists(st.sampled_from(CADRES), max_size=2), st.lists(st.sampled_from(UNITS), max_size=1),
                  st.integers(0, 3))
steps = st.one_of(
    st.tuples(st.just("call"), calls),
    st.tuples(st.just("delegate"), st.integers(0, 20), st.sampled_from(CADRES)),
    st.tuples(st.just("extend"), st.integers(0, 20), st.sampled_from(LEADERS)),
    st.tuples(st.just("later"), st.integers(1, 20)),
)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


async def _step(app: Minqing, store: MemoryStore, clock: Clock, step: tuple[Any, ...]) -> None:
    kind = step[0]
    case_ids = sorted(store.tables.cases)
    if kind == "call":
        village, dialed, accused_cadres, accused_units, person = step[1]
        event = hotline_call(uuid.uuid4().hex[:16], village_code=village, dialed_cadre_id=dialed,
                             occurred_at=clock.now.isoformat(), kind="complaint",
                             caller={"name": "甲", "phone": f"1390000000{person}", "id_number": None,
                                     "anonymous": False},
                             accused={"cadre_ids": accused_cadres, "unit_codes": accused_units})
        await app.ingest([IntakeItem("hotline.calls", orjson.dumps(event))])  # refusals are dead letters
    elif kind == "later":
        clock.now += timedelta(days=step[1])
        while await app.escalate_due():
            pass
    elif case_ids:
        case_id = case_ids[step[1] % len(case_ids)]
        row = store.tables.cases[case_id]
        owner = actor_of(row["owner_cadre_id"])
        try:
            if kind == "delegate":
                await app.handle(DelegateCase(owner, case_id, step[2]))
            else:
                await app.handle(AcceptCase(owner, case_id))
                request = await app.handle(RequestExtension(owner, case_id, 5, "需要时间"))
                await app.handle(DecideExtension(actor_of(step[2]), request["id"], True))
        except ServiceError:
            pass  # refused: what matters is that nothing forbidden happened


async def _assert_nobody_excluded_holds_or_sees(app: Minqing, store: MemoryStore) -> None:
    for case_id, row in store.tables.cases.items():
        accused = row.get("accused") or {}
        conflict = recusal_for(ROSTER, accused.get("cadre_ids", ()), accused.get("unit_codes", ()),
                               row["village_code"])
        excluded = conflict.hidden_from
        assert set(row["hidden_from"]) == set(excluded)
        holders = {row["owner_cadre_id"], row["handler_cadre_id"], row.get("escalated_to_cadre_id"),
                   row.get("escalation_acting_cadre_id")}
        assert not holders & excluded, (case_id, holders & excluded)
        deciders = {r["decided_by"] for r in store.tables.extension_requests.values() if r["case_id"] == case_id}
        assert not deciders & excluded
        for cadre_id in excluded:
            await _assert_invisible(app, actor_of(cadre_id), case_id)


async def _assert_invisible(app: Minqing, actor: Actor, case_id: str) -> None:
    try:
        await app.handle(GetCase(actor, case_id))
    except ServiceError:
        pass
    else:
        raise AssertionError(f"{actor.cadre_id} read case {case_id}")
    listed = await app.handle(ListCases(actor, CaseFilter(case_ids=(case_id,))))
    assert listed.total == 0
    counts = await app.handle(CountCases(actor))
    everything = await app.handle(ListCases(actor, CaseFilter(), limit=1000))
    assert counts["total"] == everything.total and case_id not in {c["case_id"] for c in everything.items}
    if actor.role != Role.OPERATOR:
        inbox = await app.handle(Inbox(actor, include_closed=True, limit=1000))
        assert case_id not in {c["case_id"] for c in inbox.items}
    if actor.role == Role.LEADER:
        for alert in await app.handle(ListAlerts(actor)):
            assert case_id not in alert["data"]["case_ids"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps, min_size=1, max_size=14))
def test_the_excluded_never_hold_decide_or_see_a_case(sequence: list[tuple[Any, ...]]) -> None:
    async def scenario() -> None:
        clock = Clock()
        store = MemoryStore.with_roster(ROSTER, clock())
        app = bootstrap_memory(store, clock, routing_wait=0)
        for step in sequence:
            await _step(app, store, clock, step)
        await _assert_nobody_excluded_holds_or_sees(app, store)

    asyncio.run(scenario())
