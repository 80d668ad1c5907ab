"""Conflict of interest through the use cases (issue 11): what intake, reads and alerts do
with an accusation — on the in-memory unit of work."""
from __future__ import annotations

import orjson
import pytest

from infra.memory.store import MemoryStore
from infra.services.app import Minqing
from infra.services.errors import NotFound
from infra.services.intake import IntakeItem
from infra.services.oversight import ListAlerts
from infra.services.reads import GetCase
from tests.unit.services.conftest import LEAD1, SECRETARY, V1DIR, V1SEC, Actor, Role, call, take_in


async def test_an_accusation_naming_nobody_is_a_dead_letter_naming_the_field(app: Minqing,
                                                                            store: MemoryStore) -> None:
    event = call(kind="report", accused={"cadre_ids": ["v1-dir", "nobody-here"], "unit_codes": []})
    (outcome,) = await app.ingest([IntakeItem("hotline.calls", orjson.dumps(event))])
    assert outcome.rejected and "accused.cadre_ids[1]" in (outcome.decision.reason or "")
    assert not store.tables.cases and len(store.tables.dead_letters) == 1


async def test_a_complaint_against_the_leader_in_charge_goes_above_him(app: Minqing, store: MemoryStore) -> None:
    (case_id,) = await take_in(app, call(kind="complaint", accused={"cadre_ids": ["t-lead1"], "unit_codes": []}))
    row = store.tables.cases[case_id]
    assert row["owner_cadre_id"] == "t-sec", "nobody below the accused leader in charge owns it"
    with pytest.raises(NotFound):
        await app.handle(GetCase(LEAD1, case_id))
    for below in (V1SEC, V1DIR):  # the village's cadres stand below the accused: they may not read it either
        with pytest.raises(NotFound):
            await app.handle(GetCase(below, case_id))


async def test_a_repeat_that_accuses_the_owner_opens_its_own_case_above_him(app: Minqing,
                                                                           store: MemoryStore) -> None:
    caller = {"name": "周", "phone": "13900000101", "id_number": None, "anonymous": False}
    (first,) = await take_in(app, call(caller=caller))
    assert store.tables.cases[first]["owner_cadre_id"] == "v1-dir"
    (second,) = await take_in(app, call(caller=caller, kind="complaint",
                                        accused={"cadre_ids": ["v1-dir"], "unit_codes": []}))
    assert second != first, "not linked into the case the accused owns"
    assert store.tables.cases[second]["owner_cadre_id"] != "v1-dir"
    seen = await app.handle(GetCase(SECRETARY, second))
    assert seen["routing"]["related_case_id"] == first
    with pytest.raises(NotFound):
        await app.handle(GetCase(V1DIR, second))


async def test_an_early_warning_with_accusing_cases_is_hidden_from_the_accused(app: Minqing) -> None:
    accusing = {"cadre_ids": ["t-lead1"], "unit_codes": []}
    events = [call(caller={"name": f"民{i}", "phone": f"1390000020{i}", "id_number": None, "anonymous": False},
                   kind="complaint", accused=accusing) for i in range(5)]
    await take_in(app, *events)
    assert await app.handle(ListAlerts(SECRETARY)), "the party secretary, above the accused, is warned"
    assert await app.handle(ListAlerts(LEAD1)) == []
    assert await app.handle(ListAlerts(Actor(Role.LEADER, "t-lead2"))) == []
