"""Case work through the use cases: who may act, what the lifecycle allows, and what is
stored — on the in-memory unit of work."""
from __future__ import annotations

import pytest

from infra.memory.store import MemoryStore
from infra.services.app import Minqing
from infra.services.casework import (AcceptCase, CloseCase, ContactPetitioner, DelegateCase, RecordCallback,
                                     ReplyToPetitioner)
from infra.services.errors import Conflict, Forbidden, NotFound
from infra.services.reads import GetCase
from tests.unit.services.conftest import OPERATOR, V1DIR, V1SEC, Actor, Role, call, take_in


async def test_the_owner_works_a_case_from_contact_to_a_closed_callback(app: Minqing, store: MemoryStore) -> None:
    (case_id,) = await take_in(app, call())
    contacted = await app.handle(ContactPetitioner(V1DIR, case_id, "phone", "约好明天上门"))
    assert contacted["status"] == "in_progress"
    assert [e["type"] for e in contacted["timeline"]][-2:] == ["accepted", "progress"]
    replied = await app.handle(ReplyToPetitioner(V1DIR, case_id, "已修复水管"))
    assert replied["status"] == "replied" and "callback_satisfied" in replied["allowed_actions"]
    await app.handle(RecordCallback(OPERATOR, case_id, "satisfied", True, "满意"))
    closed = await app.handle(CloseCase(OPERATOR, case_id))
    assert closed["status"] == "closed"
    stored = store.tables.cases[case_id]
    assert stored["status"] == "closed" and stored["is_open"] is False and stored["next_due_at"] is None


async def test_someone_who_neither_owns_nor_handles_it_is_refused(app: Minqing) -> None:
    (case_id,) = await take_in(app, call())
    with pytest.raises(Forbidden):
        await app.handle(AcceptCase(V1SEC, case_id))  # sees the village's cases, does not hold this one


async def test_a_case_out_of_reach_does_not_exist_for_the_caller(app: Minqing) -> None:
    (case_id,) = await take_in(app, call())
    with pytest.raises(NotFound):
        await app.handle(AcceptCase(Actor(Role.CADRE, "v2-dir"), case_id))
    with pytest.raises(NotFound):
        await app.handle(GetCase(Actor(Role.CADRE, "v2-dir"), case_id))


async def test_an_action_the_state_does_not_allow_names_the_state_and_what_it_allows(app: Minqing) -> None:
    (case_id,) = await take_in(app, call())
    with pytest.raises(Conflict) as refused:
        await app.handle(ReplyToPetitioner(V1DIR, case_id, "答复"))
    assert refused.value.state == "assigned" and "accept" in refused.value.allowed_actions


async def test_only_the_owner_delegates_and_never_to_an_accused_cadre(app: Minqing) -> None:
    (case_id,) = await take_in(app, call(accused={"cadre_ids": ["v1-m1"], "unit_codes": []}))
    with pytest.raises(Conflict) as refused:
        await app.handle(DelegateCase(V1DIR, case_id, "v1-m1"))
    assert "accused" in refused.value.message
    delegated = await app.handle(DelegateCase(V1DIR, case_id, "v1-m2"))
    assert delegated["handler_cadre_id"] == "v1-m2" and delegated["owner_cadre_id"] == "v1-dir"
    with pytest.raises(Forbidden):
        await app.handle(DelegateCase(Actor(Role.CADRE, "v1-m2"), case_id, "v1-dsec"))


async def test_a_refused_action_changes_nothing(app: Minqing, store: MemoryStore) -> None:
    (case_id,) = await take_in(app, call())
    before = dict(store.tables.cases[case_id]), list(store.tables.events[case_id])
    with pytest.raises(Conflict):
        await app.handle(CloseCase(OPERATOR, case_id))
    assert (store.tables.cases[case_id], store.tables.events[case_id]) == before


async def test_the_answer_to_an_action_never_unmasks_the_petitioner(app: Minqing) -> None:
    (case_id,) = await take_in(app, call())
    answered = await app.handle(AcceptCase(V1DIR, case_id))
    assert answered["petitioner"]["masked"] is True
    seen = await app.handle(GetCase(OPERATOR, case_id))
    assert seen["petitioner"]["masked"] is False


async def test_unmasked_views_are_audited_in_the_same_transaction(app: Minqing, store: MemoryStore) -> None:
    (case_id,) = await take_in(app, call())
    await app.handle(GetCase(V1SEC, case_id))  # sees the village's cases, masked: nothing to audit
    assert not [a for a in store.tables.audit if a["action"] == "unmasked_view"]
    await app.handle(GetCase(OPERATOR, case_id))
    assert [a["case_id"] for a in store.tables.audit if a["action"] == "unmasked_view"] == [case_id]
