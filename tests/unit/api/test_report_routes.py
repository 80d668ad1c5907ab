"""The report routes over HTTP on the in-memory service layer: JSON, XLSX and PDF of the same
report, refusals as readable codes, who may do what, and confidentiality — an accused
cadre's case is never counted in any report they can read."""
from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from api.app import create_api
from infra.bootstrap import bootstrap_memory
from infra.demo.township import demo_roster
from infra.memory.store import MemoryStore
from models.access import Actor, Role
from models.roster import Roster
from tests.unit.services.conftest import MovableClock
from tests.unit.services.reporting import MONDAY, V2, accusing, at, diary, phone_in, write_diary

V1 = "330782101201"
TOKENS = {"sec": Actor(Role.LEADER, "t-sec"), "lead1": Actor(Role.LEADER, "t-lead1"),
          "v1sec": Actor(Role.CADRE, "v1-sec"), "v1m1": Actor(Role.CADRE, "v1-m1"), "admin": Actor(Role.ADMIN),
          "staff": Actor(Role.PETITION_STAFF, "t-xf1"), "op": Actor(Role.OPERATOR, "t-op1")}


class Tokens:
    async def authenticate(self, token: str, *, address: str | None = None) -> Actor | None:
        return TOKENS.get(token)


@pytest.fixture
async def system() -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    clock = MovableClock(MONDAY)
    app = bootstrap_memory(MemoryStore.with_roster(Roster.from_contract(demo_roster()), clock()), clock,
                           routing_wait=0, access=Tokens())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api(app)), base_url="http://minqing") as client:
        yield app, client


def as_(who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {who}"}


async def get(client: httpx.AsyncClient, who: str, path: str, **params: str) -> Any:
    answer = await client.get(path, params=params, headers=as_(who))
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_each_report_answers_json_with_the_contract_fields(system: tuple[Any, httpx.AsyncClient]) -> None:
    app, client = system
    await write_diary(app, diary("v1-m1", at(14)))
    await phone_in(app, at(14), summary="自来水停水三天")
    visiting = await get(client, "sec", "/api/v1/reports/visiting-days", month="2025-03")
    assert {"cadre_id", "village_code", "days", "shortfall"} <= set(visiting["items"][0])
    assessment = await get(client, "sec", "/api/v1/reports/assessment", period="2025-Q1")
    assert {"village_code", "score", "stars", "rank", "parts"} <= set(assessment["items"][0])
    topics = await get(client, "sec", "/api/v1/reports/topics", month="2025-03")
    assert {"label", "keywords", "count", "village_codes"} <= set(topics["items"][0])
    meeting = await get(client, "sec", "/api/v1/reports/meeting")
    assert meeting["totals"]["new"] == 2 and meeting["since"].startswith("2025-03-13")
    by_day = await get(client, "sec", "/api/v1/reports/meeting", since="2025-03-14", until="2025-03-14")
    assert by_day["since"].startswith("2025-03-14T00:00") and by_day["until"].startswith("2025-03-15T00:00")


async def test_the_same_report_as_a_workbook_and_a_printable_pdf(system: tuple[Any, httpx.AsyncClient]) -> None:
    app, client = system
    await phone_in(app, at(14))
    xlsx = await client.get("/api/v1/reports/assessment", params={"period": "2025-Q1", "format": "xlsx",
                                                                  "lang": "en"}, headers=as_("sec"))
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="assessment-2025-Q1.xlsx"' in xlsx.headers["content-disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.worksheets[0]["A1"].value == "Village assessment"
    pdf = await client.get("/api/v1/reports/meeting", params={"format": "pdf"}, headers=as_("sec"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"


async def test_bad_periods_and_windows_are_422_naming_the_field(system: tuple[Any, httpx.AsyncClient]) -> None:
    _, client = system
    bad = await client.get("/api/v1/reports/visiting-days", params={"month": "2025-3"}, headers=as_("sec"))
    assert bad.status_code == 422
    impossible = await client.get("/api/v1/reports/topics", params={"month": "2025-13"}, headers=as_("sec"))
    assert impossible.status_code == 422 and impossible.json()["code"] == "report.bad_period"
    backwards = await client.get("/api/v1/reports/meeting", params={"since": "2025-03-16", "until": "2025-03-15"},
                                 headers=as_("sec"))
    assert backwards.status_code == 422 and backwards.json()["code"] == "report.bad_window"
    assert (await client.get("/api/v1/reports/meeting")).status_code == 401


async def test_an_accused_cadres_case_is_counted_in_no_report_they_read(system: tuple[Any, httpx.AsyncClient]) -> None:
    """A complaint against v1-sec, the branch secretary who reads village 1's reports: for the
    party secretary it counts everywhere; for v1-sec it does not exist in any report."""
    app, client = system
    against = await phone_in(app, at(14), category="village_affairs", summary="村支书账目不公开，优亲厚友",
                             **accusing("v1-sec"))
    await phone_in(app, at(14, 11), category="roads", summary="村道坑洼")
    for who, counted in (("sec", True), ("v1sec", False)):
        meeting = await get(client, who, "/api/v1/reports/meeting")
        assert (against in [c["case_id"] for c in meeting["new_cases"]]) is counted
        assert sum(v["new"] for v in meeting["villages"] if v["village_code"] == V1) == (2 if counted else 1)
        topics = await get(client, who, "/api/v1/reports/topics", month="2025-03")
        assert any(against in t["case_ids"] for t in topics["items"]) is counted
        (v1,) = [i for i in (await get(client, who, "/api/v1/reports/assessment", period="2025-Q1"))["items"]
                 if i["village_code"] == V1]
        assert v1["parts"]["on_time"]["cases"] == (2 if counted else 1)
    outside = await client.get(f"/api/v1/cases/{against}", headers=as_("v1sec"))
    assert outside.status_code == 404, "the same rule as for the case itself"


async def test_a_meeting_decision_is_recorded_worked_and_refused_readably(
        system: tuple[Any, httpx.AsyncClient]) -> None:
    _, client = system
    body = {"title": "修复上溪村自来水主管", "owner_cadre_id": "t-lead1", "due_on": "2025-03-20", "village_code": V1}
    assert (await client.post("/api/v1/supervision-items", json=body, headers=as_("v1sec"))).status_code == 403
    created = await client.post("/api/v1/supervision-items", json=body, headers=as_("sec"))
    assert created.status_code == 201, created.text
    item = created.json()
    early = await client.post(f"/api/v1/supervision-items/{item['item_id']}/actions", json={"action": "close"},
                              headers=as_("sec"))
    assert early.status_code == 409 and early.json()["code"] == "supervision.illegal_action"
    assert early.json()["state"] == "open" and "report_done" in early.json()["allowed_actions"]
    done = await client.post(f"/api/v1/supervision-items/{item['item_id']}/actions",
                             json={"action": "report_done", "note": "已更换主管"}, headers=as_("lead1"))
    assert done.json()["status"] == "reported"
    listed = await get(client, "v1sec", "/api/v1/supervision-items")
    assert [i["item_id"] for i in listed["items"]] == [item["item_id"]], "village 1's secretary follows it too"
    past = await client.post("/api/v1/supervision-items", json={**body, "due_on": "2025-03-01"}, headers=as_("sec"))
    assert past.status_code == 422 and past.json()["code"] == "supervision.due_in_past"


async def test_the_top_issue_is_picked_from_its_candidates(system: tuple[Any, httpx.AsyncClient]) -> None:
    app, client = system
    for village in (V1, V2):
        await phone_in(app, at(10), village_code=village, dialed_cadre_id=None, summary="自来水停水，没水做饭")
    label = (await get(client, "sec", "/api/v1/reports/topics", month="2025-03"))["items"][0]["label"]
    body = {"month": "2025-03", "label": label, "owner_cadre_id": "t-lead2", "due_on": "2025-04-30"}
    picked = await client.post("/api/v1/top-issues", json=body, headers=as_("sec"))
    assert picked.status_code == 201 and picked.json()["item"]["origin"] == "top_issue"
    topics = await get(client, "sec", "/api/v1/reports/topics", month="2025-03")
    assert [p["label"] for p in topics["picks"]] == [label]


async def test_diary_summaries_weights_and_petitions_beyond_the_township(
        system: tuple[Any, httpx.AsyncClient]) -> None:
    app, client = system
    await write_diary(app, diary("v1-m1", at(3, month=2)))
    proposal = await client.put(f"/api/v1/diary-summaries/{V1}/2025-B1/proposals/water",
                                json={"solution": "加装增压泵"}, headers=as_("v1m1"))
    assert proposal.status_code == 200, proposal.text
    submitted = await client.post(f"/api/v1/diary-summaries/{V1}/2025-B1/submission", headers=as_("v1sec"))
    assert submitted.json()["status"] == "submitted"
    statuses = await get(client, "sec", "/api/v1/diary-summaries", period="2025-B1")
    assert {r["village_code"]: r["status"] for r in statuses["items"]}[V1] == "late"
    summary = await get(client, "lead1", "/api/v1/reports/diary-summary", village=V1, period="2025-B1")
    assert summary["proposals"] == {"water": "加装增压泵"} and summary["entries"] == 1
    weights = {"weights": {"zero_petition": 30}}
    assert (await client.put("/api/v1/admin/assessment-weights", json=weights, headers=as_("sec"))).status_code == 403
    put = await client.put("/api/v1/admin/assessment-weights", json=weights, headers=as_("admin"))
    assert put.status_code == 200 and put.json()["weights"]["zero_petition"] == 30
    bad = await client.put("/api/v1/admin/assessment-weights", json={"weights": {"speed": 1}}, headers=as_("admin"))
    assert bad.status_code == 422 and bad.json()["code"] == "assessment.bad_weights"
    petition = {"village_code": V1, "occurred_at": at(3).isoformat(), "level": "city"}
    assert (await client.post("/api/v1/upward-petitions", json=petition, headers=as_("lead1"))).status_code == 403
    assert (await client.post("/api/v1/upward-petitions", json=petition, headers=as_("staff"))).status_code == 201
    (v1,) = [i for i in (await get(client, "sec", "/api/v1/reports/assessment", period="2025-Q1"))["items"]
             if i["village_code"] == V1]
    assert v1["zero_petition"] is False
