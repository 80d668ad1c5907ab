"""Every screen in Chinese shows no English: each visible ASCII word must be a tracking
code, a number or one of the few names and keys the texts mean to show (the language
switch, keyboard keys, the command that makes a token, pinyin examples)."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.browser.api_steps import VILLAGE, act, call, new_phone, password_token
from tests.browser.steps import log_in_with_password, log_in_with_token, more_actions
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.integration

TRACKING_CODE = re.compile(r"^[2-9A-HJKMNP-Z]{10}$")
EXPECTED = {"X", "English", "Ctrl+Enter", "Tab", "Esc", "Enter", "minqing", "token", "create", "up", "ysys", "sxc", "AB"}
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+\-/:@]*")


def english_on(text: str) -> list[str]:
    """ASCII words that are neither numbers, tracking codes nor expected."""
    words = (w.strip(".:-/") for w in WORD.findall(text))
    return sorted({w for w in words if re.search(r"[A-Za-z]", w) and w not in EXPECTED and not TRACKING_CODE.match(w)})


async def _visible_text(page: Any) -> str:
    return await page.evaluate("document.body.innerText")  # type: ignore[no-any-return]


async def _check(page: Any, where: str, leaks: dict[str, list[str]]) -> None:
    found = english_on(await _visible_text(page))
    if found:
        leaks[where] = found


async def _repeat_call(base_url: str, operator: str, phone: str) -> None:
    body = {"occurred_at": datetime.now(SHANGHAI).isoformat(), "village_code": VILLAGE, "category": "roads", "kind": "help",
            "urgency": "normal", "summary": "路还是没修", "dialed_cadre_id": "v1-dir",
            "caller": {"name": "李建国", "phone": phone, "anonymous": False}}
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        answer = await client.post("/api/v1/calls", json=body, headers={"Authorization": f"Bearer {operator}"})
    assert answer.status_code == 202, answer.text


def test_the_check_itself_catches_english_ids_and_uuids() -> None:
    assert english_on("查询码 7KQ3MZ8P2D · 2026/11/29 20:30 · 共 3 件") == []
    assert english_on("event.repeat_linked · v1-dir · 3f2b9c1e-8a7d-4c55-9e0a-1b2c3d4e5f60 · contacted") == [
        "3f2b9c1e-8a7d-4c55-9e0a-1b2c3d4e5f60", "contacted", "event.repeat_linked", "v1-dir"]


async def test_every_screen_in_chinese_shows_no_english(new_page: Any, base_url: str, logins: dict[str, str],
                                                        demo_passwords: str) -> None:
    operator_token = logins["operator (t-op1)"]
    phone = new_phone()
    case = await call(base_url, operator_token, "村道坑洼需要修补", phone=phone)
    await _repeat_call(base_url, operator_token, phone)  # a repeat, linked into the case
    cadre_token = await password_token(base_url, "v1-dir", demo_passwords)
    await act(base_url, cadre_token, case["case_id"], "contact", {"channel": "phone", "note": "已电话联系"})
    await act(base_url, cadre_token, case["case_id"], "reply", {"text": "已安排施工队修补"})
    await act(base_url, operator_token, case["case_id"], "callback", {"result": "unsatisfied", "note": "只补了一半"})
    leaks: dict[str, list[str]] = {}

    page = await new_page()
    await page.goto("/ui/")
    await _check(page, "login", leaks)
    await page.goto("/track")
    await page.get_by_label("查询码").fill(case["tracking_code"])
    await page.keyboard.press("Enter")
    await page.wait_for_selector("#track-steps")
    await _check(page, "track", leaks)

    await log_in_with_token(page, operator_token, "/ui/desk")
    await page.wait_for_selector("#category option >> nth=1", state="attached")
    await page.get_by_label("电话").fill("abc")
    await page.get_by_label("身份证号").fill("123")
    await page.get_by_role("button", name="登记来电").click()  # the form's own errors
    await page.wait_for_selector("#caller-phone-error")
    await _check(page, "desk with errors", leaks)
    await page.get_by_label("电话").fill(phone)
    await page.get_by_label("身份证号").fill("")
    await page.get_by_label("村（社区）").fill(f"上溪村 {VILLAGE}")
    await page.get_by_label("所拨村官热线").select_option("v1-dir")
    await page.get_by_label("类别").select_option("roads")
    await page.get_by_label("事项摘要").fill("村道又塌了一块")
    await page.get_by_label("事项摘要").press("Control+Enter")
    await page.wait_for_selector("#tracking-code")
    await page.wait_for_selector("#earlier li")
    await _check(page, "desk with a result", leaks)
    await page.goto("/ui/callbacks")
    await page.wait_for_selector("#resolved-list li, #callback-list li")
    await _check(page, "callbacks", leaks)
    await page.goto(f"/ui/cases/{case['case_id']}")
    await page.wait_for_selector("#case-timeline li[data-type='repeat_linked']")
    if await page.locator("#case-facts details").count():  # the routing steps, once the server gives their codes
        await page.locator("#case-facts details summary").click()
    await _check(page, "case (operator)", leaks)
    await page.goto(f"/ui/cases?village_code={VILLAGE}")
    await page.wait_for_selector("#cases-list li[data-case]")
    await _check(page, "cases", leaks)

    cadre = await new_page(width=390, height=844)
    await log_in_with_password(cadre, "v1-dir", demo_passwords, "/ui/inbox")
    await cadre.wait_for_selector("#inbox-list li[data-case]")
    await cadre.locator("#whereabouts summary").click()
    await _check(cadre, "inbox", leaks)
    await cadre.get_by_label("搜索").fill(phone)  # the server's search, and matches beyond the to-do list
    await cadre.wait_for_selector("#inbox-others-count >> text=共")
    await cadre.get_by_label("显示", exact=True).select_option("returned")
    await _check(cadre, "inbox search", leaks)
    fresh = await call(base_url, operator_token, "村口垃圾桶不够用")
    await cadre.goto(f"/ui/cases/{fresh['case_id']}#action-decline")
    decline = cadre.locator("#action-decline")
    await decline.get_by_label("不予受理理由").fill("已由环卫公司负责")
    await decline.get_by_label("书面告知内容（或告知书文号）").fill("已电话告知并寄送告知书")
    await decline.get_by_role("button", name="不予受理", exact=True).click()
    await cadre.wait_for_selector("#action-decline-confirm")
    await _check(cadre, "case (cadre, decline confirm)", leaks)
    await cadre.goto(f"/ui/cases/{case['case_id']}")
    await cadre.wait_for_selector("#returned")
    await more_actions(cadre)
    await cadre.locator("#action-progress button").click()  # an empty note: the form says so
    extension = cadre.locator("#action-extension")
    await extension.get_by_label("延期天数（最多30天）").fill("40")
    await extension.get_by_label("理由").fill("等材料")
    await extension.locator("button").click()  # the server's 422, in the catalogue's words
    await cadre.wait_for_selector("#case-message.note-error")
    assert "不能大于 30" in await cadre.locator("#case-message").inner_text()
    await _check(cadre, "case (cadre)", leaks)
    await cadre.goto("/ui/field")
    await cadre.wait_for_selector("#diary-village option >> nth=0", state="attached")
    await cadre.locator("#diary-form button[type=submit]").click()
    await _check(cadre, "field", leaks)

    leader = await new_page()
    await log_in_with_token(leader, logins["leader (t-sec)"], "/ui/dashboard")
    await leader.wait_for_selector("figure svg.chart >> nth=3")
    await leader.wait_for_selector("#live-state[data-state='live.on']")
    await _check(leader, "dashboard", leaks)
    await leader.goto("/ui/report")
    await leader.wait_for_selector("#report-table")
    await _check(leader, "report", leaks)
    await leader.goto(f"/ui/cases/{case['case_id']}")
    await leader.wait_for_selector("#case-timeline li")
    await leader.wait_for_selector("#action-pause")
    await _check(leader, "case (leader)", leaks)
    await leader.goto("/ui/calendar?year=2027")
    await leader.wait_for_selector("#calendar-days tbody tr")
    await _check(leader, "calendar (leader)", leaks)
    await leader.goto("/ui/field")
    await leader.wait_for_selector("#reception-form:not([hidden])")
    await leader.locator("#reception-form button[type=submit]").click()  # the form's own errors
    await leader.wait_for_selector("#reception-summary-error")
    await _check(leader, "reception day", leaks)

    admin = await new_page()
    await log_in_with_token(admin, logins["admin"], "/ui/dashboard")
    await admin.wait_for_selector("#calendar-outlook-box[data-checked]", state="attached")
    await _check(admin, "dashboard (admin)", leaks)
    await admin.goto("/ui/calendar")
    await admin.wait_for_selector("#calendar-days tbody tr")
    await admin.locator("#calendar-import button[type=submit]").click()
    await admin.wait_for_selector("#calendar-source-error")
    await _check(admin, "calendar (admin)", leaks)
    assert leaks == {}, leaks
