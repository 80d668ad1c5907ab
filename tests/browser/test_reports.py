"""The leaders' reports in the browser: each opens in Chinese with today's matters in it,
switches to English, and downloads as XLSX and as PDF; a leader runs the meeting from its
report — records a decision and sees it listed — and picks the month's top issue."""
from __future__ import annotations

import asyncio
import io
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from infra.tokens import create_token
from tests.browser.steps import log_in_with_token, shoot, unlabelled_controls
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.integration

VILLAGE = "330782101201"  # 上溪村


@pytest.fixture(scope="module")
async def tokens(engine: Any) -> dict[str, str]:
    """Tokens of the people these reports are for, beyond the demo's printed ones."""
    made = {}
    async with engine.begin() as conn:
        for role, cadre in (("cadre", "v1-m1"), ("cadre", "v1-sec"), ("petition_staff", "t-xf1")):
            made[cadre] = await create_token(conn, role=role, cadre_id=cadre, now=datetime.now(timezone.utc),
                                             ttl=timedelta(days=1), label="report tests")
    return made


@pytest.fixture(scope="module")
async def matters(base_url: str, logins: dict[str, str], tokens: dict[str, str]) -> dict[str, Any]:
    """Today's calls on one matter in two villages, and diary entries of a village member."""
    now = datetime.now(SHANGHAI).replace(microsecond=0)
    found: dict[str, Any] = {"calls": []}
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for village, cadre in ((VILLAGE, "v1-dir"), ("330782101202", "v2-dir")):
            call = {"occurred_at": now.isoformat(), "village_code": village, "category": "water", "kind": "help",
                    "urgency": "normal", "summary": "自来水停水三天，老人做饭没有水", "dialed_cadre_id": cadre,
                    "caller": {"name": "李秀兰", "phone": f"137{uuid.uuid4().int % 10**8:08d}", "anonymous": False}}
            answer = await client.post("/api/v1/calls", json=call,
                                       headers={"Authorization": f"Bearer {logins['operator (t-op1)']}"})
            assert answer.status_code == 202, answer.text
            found["calls"].append(await _routed(client, logins["admin"], answer.json()["event_id"]))
        for back, household in ((0, "王家"), (1, "赵家")):
            entry = {"occurred_at": (now - timedelta(minutes=back)).isoformat(), "village_code": VILLAGE,
                     "category": "roads", "summary": "村口路灯不亮", "household": household,
                     "problems": "村口路灯坏了一个月", "resolved_on_spot": back == 0,
                     **({"resolution": "当场联系电工更换"} if back == 0 else {})}
            answer = await client.post("/api/v1/diary", json=entry,
                                       headers={"Authorization": f"Bearer {tokens['v1-m1']}"})
            assert answer.status_code == 202, answer.text
    return found


async def _routed(client: httpx.AsyncClient, token: str, event_id: str) -> dict[str, Any]:
    """The case an event became, once the worker has routed it."""
    for _ in range(120):
        found = await client.get("/api/v1/cases", params={"source_event_id": event_id},
                                 headers={"Authorization": f"Bearer {token}"})
        assert found.status_code == 200, found.text
        if found.json()["items"]:
            return found.json()["items"][0]  # type: ignore[no-any-return]
        await asyncio.sleep(0.5)
    raise AssertionError(f"the worker did not route event {event_id} within a minute")


async def _switch_to_english(page: Any, ready: str) -> None:
    await page.locator("[data-set-lang=en]").click()
    await page.wait_for_function("() => document.documentElement.lang === 'en'")
    await page.wait_for_selector(ready)


async def _downloads(page: Any) -> dict[str, bytes]:
    files = {}
    for kind in ("xlsx", "pdf"):
        async with page.expect_download() as started:
            await page.locator(f"[data-download={kind}]").click()
        download = await started.value
        files[kind] = Path(await download.path()).read_bytes()
        assert download.suggested_filename.endswith("." + kind)
    assert files["xlsx"].startswith(b"PK") and files["pdf"].startswith(b"%PDF")
    return files


def _first_cell(xlsx: bytes) -> str:
    return str(load_workbook(io.BytesIO(xlsx)).worksheets[0]["A1"].value)


async def _open(new_page: Any, logins: dict[str, str], path: str, ready: str) -> Any:
    page = await new_page()
    await log_in_with_token(page, logins["leader (t-sec)"], "/ui/dashboard")
    await page.goto(path)
    await page.wait_for_selector(ready)
    return page


async def test_a_leader_runs_the_meeting_from_its_report(new_page: Any, logins: dict[str, str],
                                                         matters: dict[str, Any], shots: Path, seeded: int) -> None:
    page = await _open(new_page, logins, "/ui/reports/meeting", "#report-table")
    codes = await page.locator("#new-cases").inner_text()
    assert all(c["tracking_code"] in codes for c in matters["calls"])
    assert "合计" in await page.locator("#report-table").inner_text()
    assert "当场联系电工更换" in await page.locator("#diary").inner_text()
    await page.get_by_label("督办事项（做什么）").fill("排查上溪村、柳塘村供水管网")
    await page.get_by_label("责任领导").select_option("t-lead1")
    await page.get_by_label("办结期限").fill((datetime.now(SHANGHAI) + timedelta(days=7)).date().isoformat())
    await page.get_by_label("涉及村（可不选）").select_option(VILLAGE)
    await page.get_by_role("button", name="记录决定").click()
    await page.wait_for_selector("#decision-message:not([hidden])")
    assert "已记录" in await page.locator("#decision-message").inner_text()
    row = page.locator("#decisions-table tr", has_text="排查上溪村、柳塘村供水管网")
    await row.wait_for()
    assert "待办" in await row.inner_text()
    assert await unlabelled_controls(page) == []
    await shoot(page, shots, "20-report-meeting")
    await page.emulate_media(media="print")
    await shoot(page, shots, "26-report-meeting-print")
    await page.emulate_media(media="screen")
    await _switch_to_english(page, "#decisions-table")
    assert "Joint meeting report" in await page.locator("h1").inner_text()
    assert "Total" in await page.locator("#report-table").inner_text()
    await shoot(page, shots, "25-report-meeting-english")
    files = await _downloads(page)
    assert _first_cell(files["xlsx"]) == "Joint meeting report"


async def test_the_months_visiting_day_shortfalls(new_page: Any, logins: dict[str, str], matters: dict[str, Any],
                                                  shots: Path) -> None:
    page = await _open(new_page, logins, "/ui/reports/visiting-days", "#visiting-table tr[data-cadre]")
    member = await page.locator("#visiting-table tr[data-cadre='v1-m1']").inner_text()
    assert "吴建新" in member and "v1-m1" not in member, "names, never ids"
    await page.get_by_label("只看未达标").check()
    shown = await page.locator("#visiting-table tr[data-cadre]").count()
    assert shown > 0 and await page.locator("#visiting-table td.hot").count() == shown
    await shoot(page, shots, "21-report-visiting-days")
    await _switch_to_english(page, "#visiting-table tr[data-cadre]")
    assert "Shortfall" in await page.locator("#visiting-table").inner_text()
    assert _first_cell((await _downloads(page))["xlsx"]).startswith("Visiting days")


async def test_the_quarters_village_assessment_with_stars(new_page: Any, logins: dict[str, str],
                                                          matters: dict[str, Any], shots: Path) -> None:
    page = await _open(new_page, logins, "/ui/reports/assessment", "#assessment-table tr[data-village]")
    assert await page.locator("#assessment-table tr[data-village]").count() == 5
    assert await page.locator("#assessment-table .stars").count() == 5
    await page.locator(f"#assessment-table tr[data-village='{VILLAGE}'] details summary").click()
    assert "响应率" in await page.locator(f"#assessment-table tr[data-village='{VILLAGE}'] details").inner_text()
    await shoot(page, shots, "22-report-assessment")
    await _switch_to_english(page, "#assessment-table tr[data-village]")
    assert "Zero-petition" in await page.locator("#assessment-table").inner_text()
    assert _first_cell((await _downloads(page))["xlsx"]) == "Village assessment"


async def test_the_months_top_issue_is_picked_and_followed(new_page: Any, logins: dict[str, str],
                                                           matters: dict[str, Any], shots: Path) -> None:
    page = await _open(new_page, logins, "/ui/reports/topics", "#topics-list li")
    water = page.locator("#topics-list li", has_text="停水").first
    assert "跨村" in await water.inner_text()
    await water.get_by_label("牵头领导").select_option("t-lead2")
    await water.get_by_label("办结期限").fill((datetime.now(SHANGHAI) + timedelta(days=20)).date().isoformat())
    picks_before = await page.locator("#picks-table tr[data-pick]").count()
    await water.get_by_role("button", name="选为本月一题").click()
    await page.wait_for_function("n => document.querySelectorAll('#picks-table tr[data-pick]').length > n",
                                 arg=picks_before)
    await shoot(page, shots, "23-report-topics")
    await _switch_to_english(page, "#picks-table")
    assert "This month's chosen issue" in await page.locator("#picks").inner_text()
    files = await _downloads(page)
    assert _first_cell(files["xlsx"]) == "Candidates for the month's top issue"


async def test_a_villages_diary_summary_and_who_has_not_submitted(new_page: Any, logins: dict[str, str],
                                                                  tokens: dict[str, str], matters: dict[str, Any],
                                                                  shots: Path) -> None:
    page = await new_page()
    await log_in_with_token(page, tokens["v1-sec"], "/ui/inbox")
    await page.goto("/ui/reports/diary")
    await page.wait_for_selector("#diary-table")
    period = await page.locator("#period").input_value()
    current = f"{datetime.now(SHANGHAI).year}-B{(datetime.now(SHANGHAI).month + 1) // 2}"
    await page.locator("#period").fill(current)
    await page.get_by_role("button", name="生成").click()
    await page.wait_for_selector("#diary-table tr[data-category='roads']")
    assert "村口路灯坏了一个月" in await page.locator("#diary-table").inner_text()
    await page.get_by_label("道路交通的解决措施").fill("村集体出资更换村口路灯")
    await page.locator("#diary-table tr[data-category='roads'] button").click()
    await page.wait_for_function(
        "text => document.querySelector(\"#diary-table tr[data-category='roads'] textarea\").value === text",
        arg="村集体出资更换村口路灯")
    assert await page.locator("#outstanding-table").count() == 1
    await shoot(page, shots, "24-report-diary")
    await page.locator("#period").fill(period)
    await _switch_to_english(page, "#diary-table")
    assert "By category" in await page.locator("#report").inner_text()
    assert _first_cell((await _downloads(page))["xlsx"]).startswith("Bi-monthly diary summary")
