"""Events entered over HTTP, attacked as a hostile user would: taking someone else's event
id, naming someone else as the operator, reading a case in the 202 one may not see."""
from __future__ import annotations

from datetime import timedelta

import pytest

from infra.memory.store import MemoryStore
from infra.services.app import Minqing
from infra.services.errors import Forbidden, Invalid
from infra.services.intake import IntakeItem
from infra.services.submissions import SubmitEvent, routed_case
from tests.unit.services.conftest import OPERATOR, Actor, MovableClock, Role, call, take_in


def _fields(**overrides: object) -> dict[str, object]:
    fields = {k: v for k, v in call().items() if k not in ("event_id", "operator_id")}
    return {**fields, **overrides}


async def _ingest_outbox(app: Minqing, store: MemoryStore) -> None:
    """What the relay and a worker do: take the stored events in."""
    items = [IntakeItem(row["topic"], row["value"]) for row in store.tables.outbox]
    store.tables.outbox.clear()
    await app.ingest(items)


async def test_an_event_id_is_scoped_to_the_caller_who_sent_it(app: Minqing, store: MemoryStore) -> None:
    mine = await app.submit(SubmitEvent(OPERATOR, "hotline.calls", _fields(event_id="call-42")))
    theirs = await app.submit(SubmitEvent(Actor(Role.OPERATOR, "t-op2"), "hotline.calls", _fields(event_id="call-42")))
    again = await app.submit(SubmitEvent(OPERATOR, "hotline.calls", _fields(event_id="call-42")))
    assert mine.event_id != theirs.event_id and mine.event_id == again.event_id
    assert mine.event_id.endswith(".call-42") and len(mine.event_id) <= 64
    await _ingest_outbox(app, store)
    # the telephony system's own event "call-42" arrives later on the topic: still a case of its own
    (producer_case,) = await take_in(app, {**call(), "event_id": "call-42"})
    assert len(store.tables.cases) == 3
    assert store.tables.cases[producer_case]["source_event_id"] == "call-42"


async def test_the_operator_of_an_entered_call_is_the_caller(app: Minqing) -> None:
    with pytest.raises(Forbidden) as refused:
        await app.submit(SubmitEvent(OPERATOR, "hotline.calls", {**_fields(), "operator_id": "t-op2"}))
    assert refused.value.params["field"] == "operator_id"
    with pytest.raises(Forbidden):
        await app.submit(SubmitEvent(Actor(Role.CADRE, "v1-dir"), "diary.entries",
                                     {"occurred_at": call()["occurred_at"], "village_code": "330782101201",
                                      "summary": "走访", "household": "王家", "problems": "屋顶漏雨",
                                      "author_cadre_id": "v1-sec"}))


async def test_the_answer_never_describes_a_case_the_caller_may_not_see(app: Minqing, store: MemoryStore) -> None:
    accusing_me = _fields(accused={"cadre_ids": ["t-op1"], "unit_codes": []}, kind="report")
    submitted = await app.submit(SubmitEvent(OPERATOR, "hotline.calls", accusing_me))
    await _ingest_outbox(app, store)
    assert len(store.tables.cases) == 1, "the case exists"
    assert await routed_case(OPERATOR, "hotline.calls", submitted.event_id, app.uows, wait=0) is None
    staff = Actor(Role.PETITION_STAFF, "t-xf1")
    assert await routed_case(staff, "hotline.calls", submitted.event_id, app.uows, wait=0) is not None


async def test_a_repeat_call_is_answered_with_the_open_case_it_was_merged_into(app: Minqing,
                                                                             store: MemoryStore) -> None:
    caller = {"name": "孙", "phone": "13900000077", "id_number": None, "anonymous": False}
    first = await app.submit(SubmitEvent(OPERATOR, "hotline.calls", _fields(caller=caller)))
    await _ingest_outbox(app, store)
    again = await app.submit(SubmitEvent(OPERATOR, "hotline.calls", _fields(caller=caller)))
    await _ingest_outbox(app, store)
    opened = await routed_case(OPERATOR, "hotline.calls", first.event_id, app.uows, wait=0)
    merged = await routed_case(OPERATOR, "hotline.calls", again.event_id, app.uows, wait=0)
    assert opened is not None and merged is not None
    assert merged["case_id"] == opened["case_id"] and merged["linked"] and not opened["linked"]


async def test_an_accused_id_must_name_someone_and_a_look_alike_is_read_as_them(app: Minqing,
                                                                                store: MemoryStore) -> None:
    with pytest.raises(Invalid) as refused:
        await app.submit(SubmitEvent(OPERATOR, "hotline.calls",
                                     _fields(kind="report", accused={"cadre_ids": ["v1-dri"], "unit_codes": []})))
    assert refused.value.field == "accused.cadre_ids[0]" and refused.value.code == "accused.unknown_cadre"
    await app.submit(SubmitEvent(OPERATOR, "hotline.calls",
                                 _fields(kind="report", accused={"cadre_ids": ["Ｖ1-DIR"], "unit_codes": []})))
    assert b'"cadre_ids":["v1-dir"]' in store.tables.outbox[-1]["value"]


async def test_a_call_from_the_future_is_refused(app: Minqing, clock: MovableClock) -> None:
    later = (clock.now + timedelta(minutes=30)).isoformat()
    with pytest.raises(Invalid) as refused:
        await app.submit(SubmitEvent(OPERATOR, "hotline.calls", _fields(occurred_at=later)))
    assert refused.value.field == "occurred_at"
