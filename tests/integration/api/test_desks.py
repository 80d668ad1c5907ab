"""The operator's caller look-up, the owner's delegation (never to someone accused), and the
leader's early warnings, each within the caller's reach."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from infra.db.tables import alerts

pytestmark = pytest.mark.integration


async def test_a_callers_earlier_cases_by_phone(open_case: Any, client: Any, as_: Any) -> None:
    phone = f"135{uuid.uuid4().int % 10**8:08d}"
    caller = {"name": "赵六", "phone": phone, "id_number": None, "anonymous": False}
    first = await open_case(caller=caller, category="roads")
    second = await open_case(caller=caller, category="water", village_code="330782101205", dialed_cadre_id="v5-dir")
    found = await client.post("/api/v1/callers/cases", json={"phone": f"+86 {phone[:3]}-{phone[3:]}"},
                              headers=as_("operator"))
    assert found.status_code == 200
    assert {c["case_id"] for c in found.json()["items"]} == {first["case_id"], second["case_id"]}
    logged = await client.post("/api/v1/calls", headers=as_("operator"), json={
        "occurred_at": datetime.now(timezone(timedelta(hours=8))).isoformat(), "village_code": "330782101201",
        "summary": "又来反映", "caller": caller, "kind": "help", "dialed_cadre_id": "v1-sec"})
    assert {c["case_id"] for c in logged.json()["earlier_cases"]} >= {first["case_id"], second["case_id"]}


async def test_the_owner_delegates_but_never_to_an_accused_cadre(open_case: Any, client: Any, as_: Any) -> None:
    row = await open_case(dialed_cadre_id="v1-sec", kind="complaint",
                          accused={"cadre_ids": ["v1-dir"], "unit_codes": []})
    case_id = row["case_id"]
    assert row["owner_cadre_id"] == "v1-sec"
    refused = await client.post(f"/api/v1/cases/{case_id}/delegate", json={"handler_cadre_id": "v1-dir"},
                                headers=as_("v1sec"))
    assert refused.status_code == 409 and "v1-dir is accused" in refused.json()["detail"]
    assert (await client.get(f"/api/v1/cases/{case_id}", headers=as_("v1dir"))).status_code == 404
    delegated = await client.post(f"/api/v1/cases/{case_id}/delegate", json={"handler_cadre_id": "v1-m1"},
                                  headers=as_("v1sec"))
    assert delegated.status_code == 200 and delegated.json()["handler_cadre_id"] == "v1-m1"
    inbox = (await client.get("/api/v1/inbox", headers=as_("v1m1"))).json()["items"]
    assert case_id in [c["case_id"] for c in inbox]
    assert (await client.post(f"/api/v1/cases/{case_id}/accept", json={}, headers=as_("v1m1"))).status_code == 200
    not_owner = await client.post(f"/api/v1/cases/{case_id}/delegate", json={"handler_cadre_id": "v1-m2"},
                                  headers=as_("v1m1"))
    assert not_owner.status_code == 403


async def test_early_warnings_reach_the_leader_of_the_village(engine: Any, client: Any, as_: Any) -> None:
    now = datetime.now(timezone.utc)
    alert_id = f"test-alert-{uuid.uuid4().hex[:8]}"
    async with engine.begin() as conn:
        await conn.execute(alerts.insert().values(
            alert_id=alert_id, kind="collective_petition", village_code="330782101202", category="land",
            leader_cadre_id="t-lead1", petitioners=5, window_start=now - timedelta(hours=3), window_end=now,
            raised_at=now, data={"message": "5 residents raised land within 24 hours"}))

    def ids(response: Any) -> list[str]:
        assert response.status_code == 200
        return [a["alert_id"] for a in response.json()["items"]]

    assert alert_id in ids(await client.get("/api/v1/alerts", headers=as_("lead1")))
    assert alert_id in ids(await client.get("/api/v1/alerts", headers=as_("secretary")))
    assert alert_id not in ids(await client.get("/api/v1/alerts", headers=as_("lead3")))
