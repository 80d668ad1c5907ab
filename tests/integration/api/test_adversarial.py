"""The API attacked as a hostile cadre or client would (issue 11): each test is one attack
and the answer the law requires. More attacks join as the domain's rules land."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.conftest import hotline_call

pytestmark = pytest.mark.integration


def _call(**overrides: Any) -> dict[str, Any]:
    call = hotline_call("unused", village_code="330782101202", dialed_cadre_id="v2-dsec", **overrides)
    del call["event_id"], call["operator_id"]
    return call


async def _case_of(client: Any, as_: Any, who: str, event_id: str, tries: int = 300) -> dict[str, Any] | None:
    for _ in range(tries):
        listed = (await client.get("/api/v1/cases", params={"source_event_id": event_id}, headers=as_(who))).json()
        if listed["items"]:
            return listed["items"][0]  # type: ignore[no-any-return]
        await asyncio.sleep(0.1)
    return None


async def test_taking_someone_elses_event_id_reveals_and_suppresses_nothing(worker: Any, client: Any,
                                                                            as_: Any) -> None:
    first = await client.post("/api/v1/calls", json={**_call(), "event_id": "shared-id-1"}, headers=as_("operator"))
    assert first.status_code == 202, first.text
    stolen = await client.post("/api/v1/calls", json={**_call(), "event_id": "shared-id-1"}, headers=as_("staff"))
    assert stolen.status_code == 202, stolen.text
    assert stolen.json()["event_id"] != first.json()["event_id"]
    mine = await _case_of(client, as_, "operator", first.json()["event_id"])
    theirs = await _case_of(client, as_, "staff", stolen.json()["event_id"])
    assert mine is not None and theirs is not None and mine["case_id"] != theirs["case_id"]
    if stolen.json()["case"] is not None:
        assert stolen.json()["case"]["tracking_code"] != mine["tracking_code"]


async def test_naming_another_operator_on_a_call_is_refused(client: Any, as_: Any) -> None:
    answer = await client.post("/api/v1/calls", json={**_call(), "operator_id": "t-op2"}, headers=as_("operator"))
    assert answer.status_code == 403 and answer.json()["code"] == "submit.not_yours"


async def test_a_call_accusing_the_operator_is_not_described_to_them_in_the_202(worker: Any, client: Any,
                                                                               as_: Any) -> None:
    body = {**_call(kind="report"), "accused": {"cadre_ids": ["t-op1"], "unit_codes": []}}
    answer = await client.post("/api/v1/calls", json=body, headers=as_("operator"))
    assert answer.status_code == 202 and answer.json()["case"] is None
    assert await _case_of(client, as_, "staff", answer.json()["event_id"]) is not None, "the case exists"
    assert await _case_of(client, as_, "operator", answer.json()["event_id"], tries=5) is None


async def test_an_accusation_naming_nobody_is_refused_naming_the_field(client: Any, as_: Any) -> None:
    body = {**_call(kind="report"), "accused": {"cadre_ids": ["v2-dsec", "v2-dseq"], "unit_codes": []}}
    answer = await client.post("/api/v1/calls", json=body, headers=as_("operator"))
    assert answer.status_code == 422 and answer.json()["code"] == "accused.unknown_cadre"
    assert answer.json()["params"]["field"] == "accused.cadre_ids[1]"


async def test_an_event_from_the_future_is_refused(client: Any, as_: Any) -> None:
    from datetime import datetime, timedelta

    from tests.conftest import SHANGHAI
    later = (datetime.now(SHANGHAI) + timedelta(minutes=30)).replace(microsecond=0).isoformat()
    answer = await client.post("/api/v1/calls", json=_call(occurred_at=later), headers=as_("operator"))
    assert answer.status_code == 422 and answer.json()["params"]["field"] == "occurred_at"


async def test_a_leader_cannot_approve_his_own_extension(open_case: Any, client: Any, as_: Any) -> None:
    row = await open_case(village_code="330782101201", dialed_cadre_id="t-lead1")
    case_url = f"/api/v1/cases/{row['case_id']}"
    assert (await client.post(f"{case_url}/accept", headers=as_("lead1"))).status_code == 200
    asked = await client.post(f"{case_url}/extension-requests", json={"days": 5, "reason": "需要协调"},
                              headers=as_("lead1"))
    assert asked.status_code == 201, asked.text
    own = await client.post(f"/api/v1/extension-requests/{asked.json()['id']}/decision", json={"approve": True},
                            headers=as_("lead1"))
    assert own.status_code == 409 and own.json()["code"].startswith("decision."), own.text
    above = await client.post(f"/api/v1/extension-requests/{asked.json()['id']}/decision", json={"approve": True},
                              headers=as_("secretary"))
    assert above.status_code == 200 and above.json()["status"] == "approved"


async def test_a_complaint_against_the_leader_in_charge_is_invisible_to_him_and_below_him(
        open_case: Any, client: Any, as_: Any) -> None:
    row = await open_case(village_code="330782101201", dialed_cadre_id="v1-dir", kind="complaint",
                          accused={"cadre_ids": ["t-lead1"], "unit_codes": []})
    assert row["owner_cadre_id"] == "t-sec"
    for who in ("lead1", "v1sec", "v1dir", "v1m1"):
        seen = await client.get(f"/api/v1/cases/{row['case_id']}", headers=as_(who))
        assert seen.status_code == 404, who
        listed = await client.get("/api/v1/cases", params={"source_event_id": row["source_event_id"]},
                                  headers=as_(who))
        assert listed.json()["total"] == 0, who
    assert (await client.get(f"/api/v1/cases/{row['case_id']}", headers=as_("secretary"))).status_code == 200
