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
