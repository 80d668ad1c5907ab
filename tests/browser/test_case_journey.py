"""One matter through every screen: an operator logs a call with the keyboard, the owning
cadre finds it in the inbox, accepts and replies, the operator records a satisfied callback,
the petitioner reads the reply — and the leader's dashboard counts change without a reload."""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.browser.steps import log_in_with_password, log_in_with_token, more_actions, shoot, unlabelled_controls

pytestmark = pytest.mark.integration

VILLAGE = "330782101201"  # 上溪村; its director v1-dir answers the published hotline


async def _open_count(page: Any) -> int:
    return int(await page.locator(f"#village-counts tr[data-village='{VILLAGE}'] .n-open").inner_text())


async def _wait_open_count(page: Any, expected: int) -> None:
    try:
        await _wait_for_count(page, expected)
    except Exception:
        raise AssertionError(f"open count stayed {await _open_count(page)}, expected {expected}: "
                             f"{await page.locator('#live-state').inner_text()}") from None


async def _wait_for_count(page: Any, expected: int) -> None:
    await page.wait_for_function(
        "([code, n]) => { const c = document.querySelector(`#village-counts tr[data-village='${code}'] .n-open`);"
        " return c && Number(c.textContent) === n; }", arg=[VILLAGE, expected], timeout=30_000)


async def test_a_call_from_desk_to_satisfied_callback_moves_the_live_dashboard(
        new_page: Any, logins: dict[str, str], demo_passwords: str, shots: Path, seeded: int) -> None:
    leader = await new_page()
    await log_in_with_token(leader, logins["leader (t-sec)"], "/ui/dashboard")
    await leader.wait_for_selector("#live-state[data-state='live.on']")
    await leader.wait_for_selector(f"#village-counts tr[data-village='{VILLAGE}']")
    before = await _open_count(leader)
    await leader.evaluate("window.__sameDocument = true")

    operator = await new_page()
    await log_in_with_password(operator, "t-op1", demo_passwords, "/ui/desk")
    await operator.wait_for_selector("#category option >> nth=1", state="attached")
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    # the keyboard alone: the caller's number first, Tab from field to field, pinyin initials in
    # the pickers, Ctrl+Enter (a plain Enter never logs the call)
    await operator.locator("#caller-phone").focus()
    await operator.keyboard.type(phone)
    await operator.wait_for_selector("#earlier >> text=没有以往案件")  # looked up at once
    await operator.keyboard.press("Tab")
    await operator.keyboard.type("王秀英")
    for _ in range(3):  # ID number, anonymous, village
        await operator.keyboard.press("Tab")
    await operator.keyboard.type(f"上溪村 {VILLAGE}")
    await operator.keyboard.press("Tab")  # the dialed cadre: the village's hotline numbers
    for _ in range(3):  # (none), secretary, deputy secretary, director
        await operator.keyboard.press("ArrowDown")
    assert await operator.locator("#dialed").input_value() == "v1-dir"
    await operator.keyboard.press("Tab")  # category: nothing chosen until the operator picks
    assert await operator.locator("#category").input_value() == ""
    await operator.keyboard.type("ysys")  # 饮水用水 by its pinyin initials
    assert await operator.locator("#category").input_value() == "water"
    for _ in range(3):  # kind (help), urgency, summary
        await operator.keyboard.press("Tab")
    await operator.keyboard.type("自来水停水三天，老人用水困难")
    await operator.keyboard.press("Control+Enter")
    code = (await operator.locator("#tracking-code").inner_text()).strip()
    assert "吴志刚" in await operator.locator("#case-owner").inner_text()
    assert "谁接访谁负责" in await operator.locator("#result").inner_text()
    case_id = await operator.locator("#case-link").get_attribute("data-case")
    await shoot(operator, shots, "02-call-desk")

    await _wait_open_count(leader, before + 1)

    cadre = await new_page()
    await log_in_with_password(cadre, "v1-dir", demo_passwords, "/ui/inbox")
    item = cadre.locator(f"li[data-case='{case_id}']")
    await item.wait_for()
    assert "按期" in await item.inner_text() or "即将到期" in await item.inner_text()
    assert "首次联系：还剩" in await item.inner_text()  # which deadline, and how long is left
    await shoot(cadre, shots, "03-inbox")
    await item.locator("a.case-link").click()
    await cadre.wait_for_url(f"**/ui/cases/{case_id}")
    await cadre.wait_for_selector("#action-accept")
    await shoot(cadre, shots, "04-case-actions")
    await cadre.locator("#action-accept button").click()
    await cadre.wait_for_selector("#case-timeline li[data-type='accepted']")
    # the owner calls the petitioner back: the full number, to tap (kept after the action's masked answer)
    assert await cadre.locator("#petitioner-call").get_attribute("href") == f"tel:{phone}"
    await more_actions(cadre)
    await cadre.get_by_label("答复内容").fill("已联系水务站抢修，今晚恢复供水")
    await cadre.locator("#action-reply button").click()
    await cadre.wait_for_selector("#case-timeline li[data-type='replied']")
    await shoot(cadre, shots, "04-case-replied")

    await operator.goto("/ui/callbacks")
    waiting = operator.locator(f"li[data-case='{case_id}']")
    await waiting.wait_for()
    assert phone in await waiting.inner_text()  # unmasked: the operator calls back
    await shoot(operator, shots, "05-callbacks")
    await waiting.get_by_label("问题已解决").check()
    await waiting.locator("button[data-result='satisfied']").click()  # sent when its undo time is up
    await operator.wait_for_selector(f"#callback-list li[data-case='{case_id}']", state="detached", timeout=30_000)

    await _wait_open_count(leader, before)
    assert await leader.evaluate("window.__sameDocument === true")  # no reload happened
    await shoot(leader, shots, "06-dashboard")

    petitioner = await new_page(width=390, height=844)
    await petitioner.goto("/track")
    await petitioner.get_by_label("查询码").fill(code)
    await petitioner.keyboard.press("Enter")
    await petitioner.wait_for_selector("#track-status")
    assert "已办结" in await petitioner.locator("#track-status").inner_text()
    assert "今晚恢复供水" in await petitioner.locator("#track-result").inner_text()
    assert phone not in await petitioner.content()
    await shoot(petitioner, shots, "09-track-phone")


async def test_login_page_in_english_and_every_control_labelled(new_page: Any, logins: dict[str, str],
                                                                shots: Path) -> None:
    page = await new_page()
    await page.goto("/ui/")
    assert await unlabelled_controls(page) == []
    await shoot(page, shots, "01-login")
    await page.get_by_role("link", name="English").click()
    await page.wait_for_selector("html[lang='en']")
    assert "Log in with your password" in await page.locator("main").inner_text()
    await page.get_by_label("Bearer token").fill(logins["operator (t-op1)"])
    await page.locator("#token-form button[type=submit]").click()
    await page.wait_for_url("**/ui/desk")
    await page.wait_for_selector("#category option >> nth=0", state="attached")
    assert "Log the call" in await page.locator("#log-call").inner_text()
    assert await unlabelled_controls(page) == []
    await shoot(page, shots, "10-desk-english")


async def test_field_forms_fit_a_phone_and_record_a_diary_entry(new_page: Any, demo_passwords: str,
                                                                 shots: Path) -> None:
    page = await new_page(width=390, height=844)
    await log_in_with_password(page, "v1-dir", demo_passwords, "/ui/inbox")
    await page.wait_for_selector("#inbox-list li")
    # a phone opens on the cases: the whereabouts sign is one folded line above them
    assert await page.locator("#whereabouts").get_attribute("open") is None
    first = await page.locator("#inbox-list li").first.bounding_box()
    assert first is not None and first["y"] < 844
    await shoot(page, shots, "11-inbox-phone")
    await page.locator("#whereabouts summary").click()
    await page.get_by_label("出差").check()
    await page.wait_for_selector("#whereabouts-message.note-ok")
    await page.get_by_label("在岗").check()
    await page.goto("/ui/field")
    await page.wait_for_selector("#diary-village option >> nth=0", state="attached")
    assert await page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert await unlabelled_controls(page) == []
    diary = page.locator("#diary-form")
    await diary.get_by_label("走访户").fill("第一村民小组 王家")
    await diary.get_by_label("类别").select_option("safety")
    await diary.get_by_label("事项摘要").fill("村口路灯不亮")
    await diary.get_by_label("问题", exact=True).fill("村口三盏路灯坏了一个月")
    await diary.get_by_label("已当场化解").check()
    await diary.get_by_label("化解情况").fill("当场联系电工更换灯泡")
    await page.locator("#diary-form button[type=submit]").click()
    await page.wait_for_selector("#field-result:not([hidden])")
    await shoot(page, shots, "07-field-phone")


async def test_leader_report_and_charts(new_page: Any, logins: dict[str, str], shots: Path) -> None:
    page = await new_page()
    await log_in_with_token(page, logins["leader (t-sec)"], "/ui/dashboard")
    await page.wait_for_selector("figure svg.chart >> nth=3")
    assert await page.locator("figure > svg.chart > title").count() == 4
    phone = await new_page(width=390, height=844)
    await log_in_with_token(phone, logins["leader (t-sec)"], "/ui/dashboard")
    await phone.wait_for_selector("figure svg.chart >> nth=3")
    assert await phone.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert await unlabelled_controls(phone) == []
    await page.goto("/ui/report")
    await page.wait_for_selector("#report-table")
    assert "合计" in await page.locator("#report-table").inner_text()
    await page.emulate_media(media="print")
    await shoot(page, shots, "08-report-print")
