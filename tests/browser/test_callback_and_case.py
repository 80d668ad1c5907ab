"""The callback records exactly what the petitioner said (nothing pre-ticked, every result
undoable), a case sent back says so first, the case page tells the registration as the
tracking page does, and a confirmation appears where the user is."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.browser.api_steps import act, call, password_token, read
from tests.browser.steps import log_in_with_password, log_in_with_token, more_actions, shoot

pytestmark = pytest.mark.integration


async def _replied_case(base_url: str, logins: dict[str, str], demo_passwords: str, summary: str) -> dict[str, Any]:
    case = await call(base_url, logins["operator (t-op1)"], summary)
    cadre = await password_token(base_url, "v1-dir", demo_passwords)
    await act(base_url, cadre, case["case_id"], "accept")
    await act(base_url, cadre, case["case_id"], "reply", {"text": "已安排修复"})
    return case


async def test_a_callback_starts_unticked_can_be_undone_and_a_return_is_shown_first(
        new_page: Any, base_url: str, logins: dict[str, str], demo_passwords: str, shots: Path) -> None:
    case = await _replied_case(base_url, logins, demo_passwords, "桥面裂缝需要修补")
    operator = await new_page()
    await log_in_with_token(operator, logins["operator (t-op1)"], "/ui/desk")
    await operator.goto("/ui/callbacks")
    card = operator.locator(f"#callback-list li[data-case='{case['case_id']}']")
    await card.wait_for()
    assert not await card.get_by_label("问题已解决").is_checked()

    await card.locator("button[data-result='unsatisfied']").click()  # no reason given
    assert "原因" in await card.locator(".field-error").inner_text()

    await card.locator("button[data-result='satisfied']").click()  # a slip of the finger ...
    bar = operator.locator(f"li[data-pending='{case['case_id']}']")
    await shoot(operator, shots, "15-callback-undo")
    assert "满意" in await bar.inner_text() and "未解决" in await bar.inner_text()
    await bar.get_by_role("button", name="撤销").click()  # ... undone before it was sent
    await card.wait_for(state="visible")
    await operator.wait_for_timeout(7_000)  # longer than the undo time: nothing was sent
    assert (await read(base_url, logins["operator (t-op1)"], f"/api/v1/cases/{case['case_id']}"))["status"] == "replied"

    await card.get_by_label("回访记录").fill("裂缝只补了一半")
    await card.locator("button[data-result='unsatisfied']").click()
    await operator.wait_for_selector(f"#callback-list li[data-case='{case['case_id']}']", state="detached", timeout=30_000)
    detail = await read(base_url, logins["operator (t-op1)"], f"/api/v1/cases/{case['case_id']}")
    reopened = [e for e in detail["timeline"] if e["type"] == "reopened"][-1]
    assert reopened["data"]["problem_solved"] is False and reopened["data"]["note"] == "裂缝只补了一半"

    cadre = await new_page(width=390, height=844)
    await log_in_with_password(cadre, "v1-dir", demo_passwords, "/ui/inbox")
    await cadre.goto(f"/ui/cases/{case['case_id']}")
    banner = cadre.locator("#returned")
    await banner.wait_for()
    assert "回访不满意，已退回" in await banner.inner_text() and "裂缝只补了一半" in await banner.inner_text()
    box = await banner.bounding_box()
    assert box is not None and box["y"] < 400  # at the top, before anything else of the case
    await shoot(cadre, shots, "16-case-returned-phone")


async def test_the_case_page_tells_the_registration_as_the_tracking_page_does(
        new_page: Any, base_url: str, logins: dict[str, str], demo_passwords: str) -> None:
    case = await call(base_url, logins["operator (t-op1)"], "村小组道路积水")
    cadre = await new_page()
    await log_in_with_password(cadre, "v1-dir", demo_passwords, "/ui/inbox")
    await cadre.goto(f"/ui/cases/{case['case_id']}")
    await cadre.wait_for_selector("#registered-at time")
    facts = await cadre.locator("#case-facts").inner_text()
    assert "登记时间" in facts and "受理时间" in facts and "尚未受理" in facts
    by = await cadre.locator("#registered-by").inner_text()
    assert "吴志刚" not in by  # the dialled cadre did not register the call
    opened = cadre.locator("#case-timeline li[data-type='opened']")
    assert "吴志刚" not in await opened.inner_text()
    registered = await cadre.locator("#registered-at time").get_attribute("datetime")

    public = await new_page(width=390, height=844)
    await public.goto(f"/track?code={case['tracking_code']}")
    await public.wait_for_selector("#track-registered time")
    assert await public.locator("#track-registered time").inner_text() == await cadre.locator("#registered-at time").inner_text()
    tracked = await public.locator("#track-registered time").get_attribute("datetime")
    assert tracked is not None and registered is not None
    assert datetime.fromisoformat(tracked) == datetime.fromisoformat(registered)  # the same moment


async def test_one_next_action_and_a_confirmation_where_the_user_is(
        new_page: Any, base_url: str, logins: dict[str, str], demo_passwords: str) -> None:
    case = await call(base_url, logins["operator (t-op1)"], "垃圾清运不及时")
    page = await new_page(width=390, height=844)
    await log_in_with_password(page, "v1-dir", demo_passwords, "/ui/inbox")
    await page.goto(f"/ui/cases/{case['case_id']}")
    await page.wait_for_selector("#action-accept")
    primary = page.locator("form.action.primary")
    assert await primary.count() == 1 and await primary.get_attribute("id") == "action-accept"
    assert await page.locator("#more-actions").get_attribute("open") is None  # the others folded away
    await page.locator("#action-accept button").click()
    await page.wait_for_selector("#action-contact.primary")
    await more_actions(page)
    form = page.locator("#action-progress")
    await form.scroll_into_view_if_needed()
    await form.get_by_label("说明").fill("已联系环卫站加派车辆")
    await form.locator("button").click()
    await page.wait_for_selector("#case-timeline li[data-type='progress']")
    await page.wait_for_selector("#case-message.note-ok")
    box = await page.locator("#case-message").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844  # in view, not 1,500 px above
    assert await page.evaluate("document.activeElement.id") == "case-message"
