"""What leaders and cadres see first: one severity-sorted list, counts that lead to the
cases, decisions with their reasons, the report's default date, a searchable inbox; and
the petitioner's tracking page."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from models.reports.meetings import DEFAULT_RHYTHM
from tests.browser.api_steps import VILLAGE, act, call, password_token, read
from tests.browser.steps import log_in_with_password, log_in_with_token, shoot
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.integration


async def _escalated(base_url: str, token: str, case_id: str) -> dict[str, Any]:
    for _ in range(60):  # the worker's scheduler climbs the chain of an overdue case
        found = await read(base_url, token, f"/api/v1/cases/{case_id}")
        if found["escalation_level"] > 0 and found["overdue"]:
            return found
        await __import__("asyncio").sleep(0.5)
    raise AssertionError("the overdue case was not escalated")


async def test_overdue_and_escalated_cases_are_listed_once_by_severity_and_counts_lead_to_them(
        new_page: Any, base_url: str, logins: dict[str, str], shots: Path) -> None:
    leader_token = logins["leader (t-sec)"]
    late = await call(base_url, logins["operator (t-op1)"], "河道垃圾堆积一个月", days_ago=40)
    later = await call(base_url, logins["operator (t-op1)"], "村道路灯损坏半年", days_ago=80)
    await _escalated(base_url, leader_token, late["case_id"])
    await _escalated(base_url, leader_token, later["case_id"])
    page = await new_page()
    await log_in_with_token(page, leader_token, "/ui/dashboard")
    await page.wait_for_selector(f"#attention-list li[data-case='{late['case_id']}']")
    assert await page.locator(f"#attention-list li[data-case='{late['case_id']}']").count() == 1  # once, not twice
    item = await page.locator(f"#attention-list li[data-case='{late['case_id']}']").inner_text()
    assert "超期" in item and "天" in item and "吴志刚" in item  # days overdue and the owner's name
    shown = await page.eval_on_selector_all("#attention-list li[data-case]", "items => items.map(i => i.dataset.case)")
    levels = [(await read(base_url, leader_token, f"/api/v1/cases/{case_id}"))["escalation_level"] for case_id in shown]
    assert levels == sorted(levels, reverse=True)  # the most escalated first

    await page.locator("#tile-overdue").click()
    await page.wait_for_url("**/ui/cases?overdue=true")
    await page.wait_for_selector(f"#cases-list li[data-case='{late['case_id']}']")
    assert await page.locator("#cases-state").input_value() == "overdue"
    await shoot(page, shots, "17-cases-overdue")

    await page.goto("/ui/dashboard")
    await page.locator(f"#village-counts tr[data-village='{VILLAGE}'] .n-escalated a").click()
    await page.wait_for_url(f"**/ui/cases?village_code={VILLAGE}&escalated=true")
    await page.wait_for_selector(f"#cases-list li[data-case='{later['case_id']}']")
    villages = await page.eval_on_selector_all("#cases-list li[data-case] .meta", "m => m.map(x => x.textContent)")
    assert villages and all("上溪村" in v for v in villages)


async def test_refusing_an_extension_needs_a_reason_and_the_card_shows_the_case(
        new_page: Any, base_url: str, logins: dict[str, str], demo_passwords: str, shots: Path) -> None:
    case = await call(base_url, logins["operator (t-op1)"], "村民小组排灌站漏水")
    cadre = await password_token(base_url, "v1-dir", demo_passwords)
    await act(base_url, cadre, case["case_id"], "accept")
    await act(base_url, cadre, case["case_id"], "extension-requests", {"days": 5, "reason": "等水利站的配件"})
    leader = await new_page()
    await log_in_with_password(leader, "t-lead1", demo_passwords, "/ui/dashboard")
    card = leader.locator("#extension-list li", has_text="等水利站的配件")
    await card.wait_for()
    text = await card.inner_text()
    assert case["tracking_code"] in text and "村民小组排灌站漏水" in text and "吴志刚" in text
    assert "还剩" in text  # the case's running deadline
    await card.get_by_role("button", name="不批准", exact=True).click()
    await card.get_by_role("button", name="确认不批准").click()
    assert "理由" in await card.locator(".field-error").inner_text()
    await card.scroll_into_view_if_needed()
    await shoot(leader, shots, "18-dashboard-decisions")
    pending = await read(base_url, logins["leader (t-sec)"], "/api/v1/extension-requests")
    assert any(r["case_id"] == case["case_id"] for r in pending["items"])  # nothing was decided
    await card.get_by_label("不批准的理由（必填）").fill("配件本周可到，不需延期")
    await card.get_by_role("button", name="确认不批准").click()
    await leader.wait_for_selector("#dashboard-message.note-ok")
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        decided = (await client.get("/api/v1/extension-requests", params={"state": "refused"},
                                    headers={"Authorization": f"Bearer {logins['leader (t-sec)']}"})).json()
    assert any(r["case_id"] == case["case_id"] and r["note"] == "配件本周可到，不需延期" for r in decided["items"])


async def test_the_report_starts_at_the_last_meeting_day(new_page: Any, logins: dict[str, str]) -> None:
    page = await new_page()
    await log_in_with_token(page, logins["leader (t-sec)"], "/ui/dashboard")
    await page.goto("/ui/report")
    await page.wait_for_selector("#report-table")
    previous = DEFAULT_RHYTHM.previous_meeting_day(datetime.now(SHANGHAI))  # holidays have no meeting
    assert await page.locator("#since").input_value() == previous.isoformat()


async def test_the_inbox_searches_by_code_and_pinyin_and_filters(
        new_page: Any, base_url: str, logins: dict[str, str], demo_passwords: str) -> None:
    case = await call(base_url, logins["operator (t-op1)"], "猪圈臭气扰民", category="environment")
    page = await new_page(width=390, height=844)
    await log_in_with_password(page, "v1-dir", demo_passwords, "/ui/inbox")
    await page.wait_for_selector(f"#inbox-list li[data-case='{case['case_id']}']")
    search = page.get_by_label("搜索")
    await search.fill(case["tracking_code"].lower())
    assert await page.locator("#inbox-list li[data-case]").count() == 1
    await search.fill("hjws 臭气")  # 环境卫生 by its initials, and a word of the summary
    assert await page.locator(f"#inbox-list li[data-case='{case['case_id']}']").count() == 1
    await search.fill("没有这种事")
    assert "没有符合条件" in await page.locator("#inbox-list").inner_text()
    await search.fill("")
    await page.get_by_label("显示").select_option("assigned")
    statuses = await page.eval_on_selector_all("#inbox-list li[data-case] .badge.status-assigned", "b => b.length")
    assert statuses == await page.locator("#inbox-list li[data-case]").count() > 0


async def test_the_tracking_page_takes_a_code_as_read_out_and_shows_the_steps(
        new_page: Any, base_url: str, logins: dict[str, str]) -> None:
    case = await call(base_url, logins["operator (t-op1)"], "门前水沟堵塞")
    code = case["tracking_code"]
    page = await new_page(width=390, height=844)
    await page.goto("/track")
    await page.get_by_label("查询码").fill(" ".join([code[:4].lower(), code[4:8], code[8:].lower()]))
    await page.keyboard.press("Enter")
    await page.wait_for_selector("#track-steps")
    assert await page.locator("#track-steps li[aria-current=step]").get_attribute("data-step") == "registered"
    assert await page.locator("#track-due-label").inner_text() == "首次联系时限"  # the deadline it is, not 办理时限
    await page.get_by_label("查询码").fill("ZZZZ0000ZZ")
    await page.keyboard.press("Enter")
    await page.wait_for_selector("#track-message:not([hidden])")
    assert await page.locator("#track-result").is_hidden()
    assert code not in await page.locator("main").inner_text()  # the earlier result is gone
