"""From call to closed callback through the API alone: an operator logs a call, the worker
routes it, the owning cadre works it, a leader approves an extension, the operator calls back
and the case closes. Every action moves the case as the domain says and writes a case event."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

from infra.db.tables import audit_log, outgoing_events
from tests.conftest import hotline_call

pytestmark = pytest.mark.integration


def _call(**overrides: Any) -> dict[str, Any]:
    call = hotline_call("unused", village_code="330782101202", dialed_cadre_id="v2-dsec", category="water",
                        **overrides)
    del call["event_id"], call["operator_id"]
    return call


async def _routed(client: Any, as_: Any, event_id: str) -> dict[str, Any]:
    for _ in range(300):
        listed = (await client.get("/api/v1/cases", params={"source_event_id": event_id}, headers=as_("operator"))).json()
        if listed["items"]:
            return listed["items"][0]  # type: ignore[no-any-return]
        await asyncio.sleep(0.1)
    raise AssertionError(f"event {event_id} was never routed")


async def test_a_call_runs_to_a_closed_callback(worker: Any, client: Any, as_: Any, engine: Any) -> None:
    accepted = await client.post("/api/v1/calls", json=_call(), headers=as_("operator"))
    assert accepted.status_code == 202, accepted.text
    answer = accepted.json()
    async with engine.connect() as conn:  # stored before the answer: the relay will publish it
        assert (await conn.execute(select(outgoing_events.c.id).where(
            outgoing_events.c.key == answer["event_id"].encode()))).first() is not None
    case = answer["case"] or await _routed(client, as_, answer["event_id"])
    case_id = case["case_id"]
    assert case["owner_cadre_id"] == "v2-dsec"

    inbox = (await client.get("/api/v1/inbox", headers=as_("v2dsec"))).json()
    assert case_id in [item["case_id"] for item in inbox["items"]]

    async def step(who: str, action: str, body: dict[str, Any], state: str) -> None:
        response = await client.post(f"/api/v1/cases/{case_id}/{action}", json=body, headers=as_(who))
        assert response.status_code == 200, (action, response.text)
        assert response.json()["status"] == state, action

    await step("v2dsec", "contact", {"channel": "phone", "note": "called back, will visit"}, "in_progress")
    asked = await client.post(f"/api/v1/cases/{case_id}/extension-requests", headers=as_("v2dsec"),
                              json={"days": 7, "reason": "需等水务站配件"})
    approved = await client.post(f"/api/v1/extension-requests/{asked.json()['id']}/decision",
                                 json={"approve": True, "note": "同意"}, headers=as_("lead1"))
    assert approved.status_code == 200, approved.text
    await step("v2dsec", "progress", {"note": "pipe repaired"}, "in_progress")
    await step("v2dsec", "reply", {"text": "水管已修复，已恢复供水"}, "replied")
    await step("operator", "callback", {"result": "satisfied", "note": "满意"}, "resolved")
    await step("v2dsec", "close", {}, "closed")

    detail = (await client.get(f"/api/v1/cases/{case_id}", headers=as_("secretary"))).json()
    assert [(e["type"], e["actor"]) for e in detail["timeline"]] == [
        ("opened", "v2-dsec"), ("assigned", "system"), ("accepted", "v2-dsec"), ("progress", "v2-dsec"),
        ("extended", "t-lead1"), ("progress", "v2-dsec"), ("replied", "v2-dsec"), ("resolved", "t-op1"),
        ("closed", "v2-dsec")]
    tracked = (await client.get(f"/api/v1/track/{detail['tracking_code']}")).json()
    assert tracked["closed"] and tracked["replies"][0]["text"] == "水管已修复，已恢复供水"


async def test_an_unsatisfied_callback_sends_the_case_back(open_case: Any, client: Any, as_: Any) -> None:
    case_id = (await open_case(village_code="330782101202", dialed_cadre_id="v2-dsec"))["case_id"]
    for who, action, body in (("v2dsec", "accept", {}), ("v2dsec", "reply", {"text": "已处理"}),
                              ("staff", "callback", {"result": "unsatisfied", "note": "还是没水"})):
        assert (await client.post(f"/api/v1/cases/{case_id}/{action}", json=body, headers=as_(who))).status_code == 200
    detail = (await client.get(f"/api/v1/cases/{case_id}", headers=as_("v2dsec"))).json()
    assert detail["status"] == "in_progress" and detail["timeline"][-1]["type"] == "reopened"


async def test_an_illegal_action_is_409_with_the_state_and_the_allowed_actions(open_case: Any, client: Any,
                                                                               as_: Any) -> None:
    case_id = (await open_case(village_code="330782101202", dialed_cadre_id="v2-dsec"))["case_id"]
    response = await client.post(f"/api/v1/cases/{case_id}/reply", json={"text": "x"}, headers=as_("v2dsec"))
    assert response.status_code == 409
    assert response.json()["state"] == "assigned"
    assert response.json()["allowed_actions"] == ["accept", "decline", "delegate", "escalate", "object", "warn"]
    closing = await client.post(f"/api/v1/cases/{case_id}/close", json={}, headers=as_("operator"))
    assert closing.status_code == 409 and "close" in closing.json()["detail"]


async def test_extension_requested_by_the_handler_and_approved_by_the_leader(open_case: Any, client: Any,
                                                                             as_: Any) -> None:
    case_id = (await open_case(village_code="330782101202", dialed_cadre_id="v2-dsec"))["case_id"]
    await client.post(f"/api/v1/cases/{case_id}/accept", json={}, headers=as_("v2dsec"))
    before = (await client.get(f"/api/v1/cases/{case_id}", headers=as_("v2dsec"))).json()["deadlines"]
    created = await client.post(f"/api/v1/cases/{case_id}/extension-requests", json={"days": 10, "reason": "需要协调水务"},
                                headers=as_("v2dsec"))
    assert created.status_code == 201, created.text
    again = await client.post(f"/api/v1/cases/{case_id}/extension-requests", json={"days": 5, "reason": "again"},
                              headers=as_("v2dsec"))
    assert again.status_code == 409
    request_id = created.json()["id"]
    pending = (await client.get("/api/v1/extension-requests", headers=as_("lead1"))).json()["items"]
    assert request_id in [r["id"] for r in pending]
    assert request_id not in [r["id"] for r in (await client.get("/api/v1/extension-requests",
                                                                 headers=as_("lead3"))).json()["items"]]
    assert (await client.post(f"/api/v1/extension-requests/{request_id}/decision", json={"approve": True},
                              headers=as_("lead3"))).status_code == 404
    decided = await client.post(f"/api/v1/extension-requests/{request_id}/decision", json={"approve": True},
                                headers=as_("lead1"))
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    after = (await client.get(f"/api/v1/cases/{case_id}", headers=as_("v2dsec"))).json()
    assert after["timeline"][-1]["type"] == "extended"
    assert after["deadlines"] != before


async def test_an_objection_decided_by_transfer(open_case: Any, client: Any, as_: Any) -> None:
    case_id = (await open_case(village_code="330782101201", dialed_cadre_id="v1-dir"))["case_id"]
    objected = await client.post(f"/api/v1/cases/{case_id}/objection", json={"reason": "这是水务，不归我管"},
                                 headers=as_("v1dir"))
    assert objected.status_code == 200 and objected.json()["status"] == "objected"
    refused = await client.post(f"/api/v1/cases/{case_id}/objection/decision",
                                json={"decision": "transfer", "reason": "x", "owner_cadre_id": "v1-ddir"},
                                headers=as_("v1sec"))
    assert refused.status_code == 403
    moved = await client.post(f"/api/v1/cases/{case_id}/objection/decision",
                              json={"decision": "transfer", "reason": "分工属副主任", "owner_cadre_id": "v1-ddir"},
                              headers=as_("lead1"))
    assert moved.status_code == 200, moved.text
    assert moved.json()["owner_cadre_id"] == "v1-ddir" and moved.json()["status"] == "assigned"
    assert (await client.get(f"/api/v1/cases/{case_id}", headers=as_("v1dir"))).status_code == 404


async def test_unmasked_views_are_for_those_who_call_back_and_are_audited(open_case: Any, client: Any,
                                                                         as_: Any, engine: Any) -> None:
    row = await open_case(village_code="330782101201", dialed_cadre_id="v1-dir",
                          caller={"name": "李四", "phone": "13812345678", "id_number": "330782199001011234",
                                  "anonymous": False})
    # the village's branch secretary reads the case but does not call back: masked, nothing to audit
    masked = (await client.get(f"/api/v1/cases/{row['case_id']}", headers=as_("v1sec"))).json()["petitioner"]
    assert masked["phone"] == "138****5678" and masked["id_number"] == "3307************34" and masked["masked"]
    owner = (await client.get(f"/api/v1/cases/{row['case_id']}", headers=as_("v1dir"))).json()["petitioner"]
    assert owner["phone"] == "13812345678" and not owner["masked"], "the owner calls the petitioner back"
    plain = (await client.get(f"/api/v1/cases/{row['case_id']}", headers=as_("operator"))).json()["petitioner"]
    assert plain["phone"] == "13812345678" and not plain["masked"]
    audit = (await client.get("/api/v1/admin/audit", params={"case_id": row["case_id"]}, headers=as_("admin"))).json()
    assert [(e["cadre_id"], e["action"]) for e in audit["items"]] == [("t-op1", "unmasked_view"),
                                                                         ("v1-dir", "unmasked_view")]


async def test_audit_rows_exist_for_caller_lookups(client: Any, as_: Any, engine: Any) -> None:
    found = await client.post("/api/v1/callers/cases", json={"phone": "13812345678"}, headers=as_("staff"))
    assert found.status_code == 200
    async with engine.connect() as conn:
        actions = (await conn.execute(select(audit_log.c.action).where(audit_log.c.cadre_id == "t-xf1"))).scalars()
        assert "caller_lookup" in list(actions)
