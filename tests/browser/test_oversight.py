"""Confidentiality at the desk and a leader's decision from the dashboard."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.browser.steps import log_in_with_password, log_in_with_token, more_actions
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.integration


async def test_a_complaint_against_the_dialed_cadre_is_owned_above_them(new_page: Any, logins: dict[str, str]) -> None:
    page = await new_page()
    await log_in_with_token(page, logins["operator (t-op1)"], "/ui/desk")
    await page.wait_for_selector("#category option >> nth=1", state="attached")
    await page.get_by_label("村（社区）").fill("上溪村 330782101201")
    await page.get_by_label("类别").select_option("village_affairs")
    await page.get_by_label("所拨村官热线").select_option("v1-dir")
    await page.get_by_label("性质").select_option("complaint")
    await page.get_by_label("被投诉/举报对象", exact=True).select_option("cadre:v1-dir")
    await page.get_by_label("事项摘要").fill("村主任优亲厚友，低保评定不公")
    await page.get_by_label("匿名来电").check()
    await page.get_by_role("button", name="登记来电").click()
    owner = await page.locator("#case-owner").inner_text()
    assert "吴志刚" not in owner
    assert "回避" in await page.locator("#result").inner_text()


async def _call_for_v1_dir(base_url: str, operator_token: str, summary: str) -> dict[str, Any]:
    call = {"occurred_at": datetime.now(SHANGHAI).isoformat(), "village_code": "330782101201", "category": "roads",
            "kind": "help", "urgency": "normal", "summary": summary, "dialed_cadre_id": "v1-dir",
            "caller": {"name": "李建国", "phone": f"137{uuid.uuid4().int % 10**8:08d}", "anonymous": False}}
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        answer = await client.post("/api/v1/calls", json=call, headers={"Authorization": f"Bearer {operator_token}"})
    assert answer.status_code == 202, answer.text
    case = answer.json()["case"]
    assert case is not None, "the worker did not route the call in time"
    return case  # type: ignore[no-any-return]


async def test_a_leader_approves_an_extension_from_the_dashboard(new_page: Any, base_url: str, logins: dict[str, str],
                                                                 demo_passwords: str) -> None:
    case = await _call_for_v1_dir(base_url, logins["operator (t-op1)"], "村道塌方需要修复")

    cadre = await new_page(width=390, height=844)
    await log_in_with_password(cadre, "v1-dir", demo_passwords, "/ui/inbox")
    await cadre.goto(f"/ui/cases/{case['case_id']}")
    await cadre.locator("#action-accept button").click()
    await cadre.wait_for_selector("#action-contact.primary")
    await more_actions(cadre)
    await cadre.get_by_label("延期天数（最多30天）").fill("10")
    await cadre.locator("#action-extension").get_by_label("理由").fill("需等交通站派工程车")
    await cadre.locator("#action-extension button").click()
    await cadre.wait_for_selector("#case-message.note-ok")

    leader = await new_page()
    await log_in_with_password(leader, "t-lead1", demo_passwords, "/ui/dashboard")
    request = leader.locator("#extension-list li", has_text="需等交通站派工程车")
    await request.get_by_role("button", name="批准", exact=True).click()
    await leader.wait_for_selector("#dashboard-message.note-ok")
    await leader.goto(f"/ui/cases/{case['case_id']}")
    await leader.wait_for_selector("#case-timeline li[data-type='extended']")
    assert "延期 10 天" in await leader.locator("#case-timeline").inner_text()


async def test_a_leader_transfers_an_objected_case_to_the_right_owner(new_page: Any, base_url: str,
                                                                      logins: dict[str, str], demo_passwords: str) -> None:
    case = await _call_for_v1_dir(base_url, logins["operator (t-op1)"], "自来水水压不足")
    cadre = await new_page()
    await log_in_with_password(cadre, "v1-dir", demo_passwords, "/ui/inbox")
    await cadre.goto(f"/ui/cases/{case['case_id']}")
    await more_actions(cadre)
    await cadre.locator("#action-objection").get_by_label("理由").fill("供水归副主任分管")
    await cadre.locator("#action-objection button").click()
    await cadre.wait_for_selector("#case-timeline li[data-type='objected']")

    leader = await new_page()
    await log_in_with_password(leader, "t-lead1", demo_passwords, "/ui/dashboard")
    await leader.locator("#objection-list a", has_text=case["tracking_code"]).click()
    await leader.wait_for_url(f"**/ui/cases/{case['case_id']}")
    form = leader.locator("#action-decide-objection")
    await form.get_by_label("改由谁承办").select_option("v1-ddir")
    await form.get_by_label("理由").fill("按分工由副主任承办")
    await form.locator("button").click()
    await leader.wait_for_selector("#case-timeline li[data-type='transferred']")
    assert "楼海燕" in await leader.locator("#case-facts").inner_text()  # v1-ddir, by name


async def test_the_owner_delegates_and_stays_the_owner(new_page: Any, base_url: str, logins: dict[str, str],
                                                       demo_passwords: str) -> None:
    case = await _call_for_v1_dir(base_url, logins["operator (t-op1)"], "组里的排水沟堵了")
    cadre = await new_page()
    await log_in_with_password(cadre, "v1-dir", demo_passwords, "/ui/inbox")
    await cadre.goto(f"/ui/cases/{case['case_id']}")
    await more_actions(cadre)
    form = cadre.locator("#action-delegate")
    await form.get_by_label("交由谁承办（仍由您包案）").select_option("v1-m1")
    await form.locator("button").click()
    await cadre.wait_for_selector("#case-timeline li[data-type='delegated']")
    facts = await cadre.locator("#case-facts").inner_text()
    assert "吴建新" in facts and "吴志刚" in facts  # handler v1-m1, owner v1-dir, by name
