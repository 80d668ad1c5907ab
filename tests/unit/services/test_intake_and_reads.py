"""Intake and reads through the use cases: outcomes per event, the catalogue an admin sets
governing new cases, the inbox, lists, counts and audited look-ups."""
from __future__ import annotations


import orjson
import pytest

from infra.memory.store import MemoryStore
from infra.services.administration import ImportRoster, PutCategory, SetWhereabouts
from infra.services.app import Minqing
from infra.services.errors import Forbidden, Invalid, NotFound
from infra.services.intake import IntakeItem
from infra.services.ports import CaseFilter
from infra.services.reads import CallerCases, CountByVillage, CountCases, Inbox, ListCases, TrackCase
from infra.services.submissions import SubmitEvent
from infra.demo.township import demo_roster
from tests.unit.services.conftest import ADMIN, LEAD1, OPERATOR, V1, V1DIR, Actor, MovableClock, Role, call, take_in


async def test_each_event_of_a_batch_gets_its_own_outcome(app: Minqing, store: MemoryStore) -> None:
    first = call(caller={"name": "王", "phone": "13900000001", "id_number": None, "anonymous": False})
    repeat = {**first, "event_id": first["event_id"] + "-again"}
    items = [IntakeItem("hotline.calls", orjson.dumps(e)) for e in (first, first, repeat)]
    items.append(IntakeItem("hotline.calls", b"{not json"))
    outcomes = await app.ingest(items)
    assert [o.decision.kind for o in outcomes] == ["opened", "duplicate", "linked", "rejected"]
    assert len({o.decision.case_id for o in outcomes[:3]}) == 1
    assert [e["type"] for e in store.tables.events[outcomes[0].decision.case_id or ""]][-1] == "repeat_linked"
    assert len(store.tables.dead_letters) == 1


async def test_an_admins_category_limit_governs_the_next_new_case(app: Minqing, store: MemoryStore) -> None:
    card = {**call(), "card_cadre_id": "v1-dir", "resident": {"name": "李", "phone": "13900000002"},
            "channel": "phone", "category": "roads"}
    for key in ("operator_id", "caller", "dialed_cadre_id", "kind", "urgency"):
        card.pop(key)
    (before,) = await take_in(app, card, topic="contactcard.feedback")
    await app.handle(PutCategory(ADMIN, "roads", "道路交通", 3))
    another = {**card, "event_id": card["event_id"] + "-2", "resident": {"name": "赵", "phone": "13900000003"}}
    (after,) = await take_in(app, another, topic="contactcard.feedback")
    handling = [store.tables.cases[c]["deadlines"]["handling"] for c in (before, after)]
    assert handling[1] < handling[0], "three working days, not ten"


async def test_the_inbox_holds_owned_and_handled_open_cases_nearest_deadline_first(app: Minqing) -> None:
    slow, urgent = await take_in(app, call(kind="complaint"), call(kind="help", urgency="urgent"))
    other = (await take_in(app, call(dialed_cadre_id="v2-dir", village_code="330782101202")))[0]
    page = await app.handle(Inbox(V1DIR))
    assert [c["case_id"] for c in page.items] == [urgent, slow] and other not in [c["case_id"] for c in page.items]
    assert page.items[0]["due_stage"] == "first_contact"


async def test_lists_filter_and_counts_stay_in_scope(app: Minqing, clock: MovableClock) -> None:
    mine = await take_in(app, call(), call(kind="consult"))
    await take_in(app, call(dialed_cadre_id="v5-dir", village_code="330782101205"))
    clock.advance(days=30)
    overdue = await app.handle(ListCases(LEAD1, CaseFilter(overdue=True)))
    assert sorted(c["case_id"] for c in overdue.items) == sorted(mine)
    counts = await app.handle(CountCases(LEAD1))
    assert counts["total"] == 2 and counts["overdue"] == 2 and counts["open"] == 2
    villages = await app.handle(CountByVillage(LEAD1))
    assert {v["village_code"] for v in villages["villages"]} == {V1, "330782101202"}
    assert villages["totals"]["open"] == 2


async def test_a_caller_look_up_is_audited_and_only_for_the_desk(app: Minqing, store: MemoryStore) -> None:
    await take_in(app, call(caller={"name": "张", "phone": "139-0000-0009", "id_number": None, "anonymous": False}))
    found = await app.handle(CallerCases(OPERATOR, "13900000009"))
    assert found.total == 1
    assert [a["action"] for a in store.tables.audit] == ["caller_lookup"]
    with pytest.raises(Forbidden):
        await app.handle(CallerCases(V1DIR, "13900000009"))


async def test_the_tracking_code_is_read_out_with_spaces_and_in_lower_case(app: Minqing, store: MemoryStore) -> None:
    (case_id,) = await take_in(app, call())
    code = store.tables.cases[case_id]["tracking_code"]
    tracked = await app.handle(TrackCase(" ".join([code[:5].lower(), code[5:]])))
    assert tracked["tracking_code"] == code and tracked["closed"] is False
    with pytest.raises(NotFound):
        await app.handle(TrackCase("ZZZZZZZZZZ"))


async def test_a_call_entered_at_the_desk_is_stored_for_the_relay_and_checked_first(
        app: Minqing, store: MemoryStore) -> None:
    fields = {k: v for k, v in call().items() if k not in ("event_id", "operator_id")}
    submitted = await app.submit(SubmitEvent(OPERATOR, "hotline.calls", fields))
    (queued,) = store.tables.outbox
    assert queued["topic"] == "hotline.calls" and orjson.loads(queued["value"])["operator_id"] == "t-op1"
    assert submitted.case is None  # no worker here: not routed yet
    with pytest.raises(Invalid) as refused:
        await app.submit(SubmitEvent(OPERATOR, "hotline.calls", {**fields, "village_code": "330782101299"}))
    assert refused.value.field == "village_code"
    with pytest.raises(Forbidden):
        await app.submit(SubmitEvent(V1DIR, "hotline.calls", fields))


async def test_a_roster_with_problems_is_refused_whole_and_whereabouts_are_ones_own(app: Minqing) -> None:
    broken = demo_roster()
    broken["cadres"][0]["unit_code"] = "nowhere"
    with pytest.raises(Invalid) as refused:
        await app.handle(ImportRoster(ADMIN, broken, "test"))
    assert "nowhere" in refused.value.message
    with pytest.raises(Forbidden):
        await app.handle(SetWhereabouts(V1DIR, "v1-sec", "away", None))
    changed = await app.handle(SetWhereabouts(V1DIR, "v1-dir", "away", None))
    assert changed["status"] == "away"
    (case_id,) = await take_in(app, call())
    page = await app.handle(Inbox(Actor(Role.CADRE, "v1-sec")))  # v1-dir's backup
    assert [c["case_id"] for c in page.items] == [case_id]
