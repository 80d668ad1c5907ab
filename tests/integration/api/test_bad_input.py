"""Bad input: unknown fields (a client never sets status, owner, deadlines or escalation),
oversized bodies, page sizes, naive times and NUL characters — each named with its reason."""
from __future__ import annotations

from typing import Any

import pytest

from tests.integration.api.conftest import at
from tests.integration.api.test_case_flow import _call

pytestmark = pytest.mark.integration


async def test_bad_input_is_named(client: Any, as_: Any, open_case: Any) -> None:
    sneaky = await client.post("/api/v1/calls", json={**_call(), "status": "closed", "owner_cadre_id": "v1-sec"},
                               headers=as_("operator"))
    assert sneaky.status_code == 422
    assert {p["field"] for p in sneaky.json()["detail"]} == {"status", "owner_cadre_id"}
    assert "status: Extra inputs are not permitted" in sneaky.json()["message"]
    case_id = (await open_case())["case_id"]
    extra = await client.post(f"/api/v1/cases/{case_id}/progress", json={"note": "x", "escalation_level": 3},
                              headers=as_("v1dir"))
    assert extra.status_code == 422
    huge = await client.post("/api/v1/calls", content=b"{" + b" " * 70_000 + b"}",
                             headers={**as_("operator"), "content-type": "application/json"})
    assert huge.status_code == 413
    page = await client.get("/api/v1/cases", params={"limit": 10_000}, headers=as_("admin"))
    assert page.status_code == 422 and page.json()["detail"][0]["field"] == "limit"
    naive = await client.post("/api/v1/calls", json={**_call(), "occurred_at": at().split("+")[0]},
                              headers=as_("operator"))
    assert naive.status_code == 422 and "occurred_at" in naive.json()["message"]


async def test_nul_characters_are_refused_before_postgresql_sees_them(open_case: Any, client: Any,
                                                                      as_: Any) -> None:
    case_id = (await open_case())["case_id"]
    await client.post(f"/api/v1/cases/{case_id}/accept", json={}, headers=as_("v1dir"))
    in_body = await client.post(f"/api/v1/cases/{case_id}/progress", json={"note": "a\u0000b"}, headers=as_("v1dir"))
    assert in_body.status_code == 422 and in_body.json()["detail"][0]["field"] == "body"
    in_path = await client.get("/api/v1/cases/x%00y", headers=as_("admin"))
    assert in_path.status_code == 422
    in_query = await client.get("/api/v1/cases", params={"owner_cadre_id": "a\u0000"}, headers=as_("admin"))
    assert in_query.status_code == 422


async def test_a_call_naming_an_unknown_village_or_cadre_is_refused_at_once(client: Any, as_: Any) -> None:
    for field, value in (("village_code", "330782101299"), ("dialed_cadre_id", "v9-nobody"), ("category", "unicorns")):
        response = await client.post("/api/v1/calls", json={**_call(), field: value}, headers=as_("operator"))
        assert response.status_code == 422, (field, response.text)
        assert response.json()["detail"][0]["field"] == field and value in response.json()["message"]
