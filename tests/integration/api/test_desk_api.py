"""The desk's inputs and searches over HTTP (issue 16): formats checked, unknown filters
refused, a refusal says why, staff search scoped like every read."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.conftest import hotline_call

pytestmark = pytest.mark.integration


def _call(**overrides: Any) -> dict[str, Any]:
    call = hotline_call("unused", **overrides)
    del call["event_id"], call["operator_id"]
    return call


async def test_a_misspelt_filter_is_refused_instead_of_listing_everything(client: Any, as_: Any) -> None:
    answer = await client.get("/api/v1/cases", params={"tracking_cod": "ABCDEFGHJK"}, headers=as_("operator"))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "tracking_cod"]
    assert (await client.get("/api/v1/inbox", params={"limt": 5}, headers=as_("v1dir"))).status_code == 422


async def test_a_phone_abc_and_an_id_123_are_refused_at_the_desk(client: Any, as_: Any) -> None:
    for caller, code in (({"phone": "abc"}, "petitioner.phone_format"),
                         ({"phone": "13912345678", "id_number": "123"}, "petitioner.id_format")):
        answer = await client.post("/api/v1/calls", json=_call(caller={**caller, "anonymous": False}),
                                   headers=as_("operator"))
        assert answer.status_code == 422 and answer.json()["detail"][0]["type"] == code, answer.text


async def test_refusing_an_extension_takes_a_reason(client: Any, as_: Any) -> None:
    answer = await client.post("/api/v1/extension-requests/1/decision", json={"approve": False},
                               headers=as_("secretary"))
    assert answer.status_code == 422 and answer.json()["detail"][0]["type"] == "extension.refusal_reason"


async def test_staff_search_finds_what_they_may_see(worker: Any, client: Any, as_: Any) -> None:
    accepted = await client.post("/api/v1/calls", headers=as_("operator"), json=_call(
        summary="塘坝渗水需要加固", details="下游三户人家担心汛期", village_code="330782101202",
        dialed_cadre_id="v2-dsec"))
    assert accepted.status_code == 202
    for _ in range(300):
        found = (await client.get("/api/v1/cases", params={"q": "塘坝 汛期"}, headers=as_("operator"))).json()
        if found["total"]:
            break
        await asyncio.sleep(0.1)
    assert found["q"] == "塘坝 汛期" and found["items"][0]["details"] == "下游三户人家担心汛期"
    code = found["items"][0]["tracking_code"]
    spaced = await client.get("/api/v1/cases", params={"q": f"{code[:5].lower()} {code[5:]}"}, headers=as_("lead1"))
    assert spaced.json()["total"] == 1
    other = await client.get("/api/v1/cases", params={"q": code}, headers=as_("lead3"))
    assert other.json()["total"] == 0, "village 2 is not in his reach"
