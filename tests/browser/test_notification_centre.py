"""Nobody has to watch a screen (issue 13): a cadre's unread badge changes without a reload
when an operator logs a call for them; the notification centre links to the case and marks
it read; the admin reads every delivery attempt and re-sends one. A real `minqing notify`
runs beside the worker, its webhook pointed at a local receiver."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.api_steps import VILLAGE, new_phone
from tests.browser.steps import log_in_with_password, log_in_with_token, shoot
from tests.integration.notify.receivers import HttpReceiver

pytestmark = pytest.mark.integration
# (functions, not expressions: the page's Content-Security-Policy forbids eval)
UNREAD_ABOVE = "(n) => Number(document.getElementById('bell').dataset.unread) > n"
UNREAD_IS = "(n) => Number(document.getElementById('bell').dataset.unread) === n"


@pytest.fixture(scope="module")
def receiver() -> Iterator[HttpReceiver]:
    with HttpReceiver() as r:
        yield r


@pytest.fixture(scope="module")
def notify_env(receiver: HttpReceiver) -> dict[str, str]:
    return {"MINQING_NOTIFY_WEBHOOK_URL": f"{receiver.url}/webhook", "MINQING_NOTIFY_WEBHOOK_SECRET": "browser-test"}


async def _badge(page: Any) -> int:
    await page.wait_for_function("() => document.getElementById('bell').dataset.unread !== undefined")
    return int(await page.locator("#bell").get_attribute("data-unread"))


async def _log_call_at_the_desk(page: Any, summary: str) -> str:
    await page.wait_for_selector("#category option >> nth=1", state="attached")
    await page.get_by_label("电话").fill(new_phone())
    await page.get_by_label("姓名").fill("孙玉梅")
    await page.get_by_label("村（社区）").fill(f"上溪村 {VILLAGE}")
    await page.get_by_label("类别").select_option("roads")
    await page.get_by_label("所拨村官热线").select_option("v1-dir")
    await page.get_by_label("事项摘要").fill(summary)
    await page.get_by_role("button", name="登记来电").click()
    return str(await page.locator("#tracking-code").inner_text())


async def test_the_badge_changes_live_and_the_centre_leads_to_the_case(
        new_page: Any, logins: dict[str, str], demo_passwords: str, notify_process: Any, receiver: HttpReceiver,
        shots: Path) -> None:
    cadre = await new_page()
    await log_in_with_password(cadre, "v1-dir", demo_passwords, "/ui/inbox")
    before = await _badge(cadre)
    await cadre.evaluate("window.__notReloaded = true")

    operator = await new_page()
    await log_in_with_token(operator, logins["operator (t-op1)"], "/ui/desk")
    code = await _log_call_at_the_desk(operator, "村口桥面塌陷，车辆无法通行")

    await cadre.wait_for_function(UNREAD_ABOVE, arg=before)
    assert await cadre.evaluate("window.__notReloaded === true"), "the badge changed without a reload"
    assert str(await _badge(cadre)) in await cadre.locator("#bell-count").inner_text()

    await cadre.locator("#bell").click()
    await cadre.wait_for_url("**/ui/notifications")
    item = cadre.locator(".notification.unread", has_text=code)
    await item.wait_for()
    assert "新的承办案件" in await item.locator(".kind").inner_text()
    await shoot(cadre, shots, "27-notification-centre")
    unread = await _badge(cadre)
    await item.get_by_role("button", name="标为已读").click()
    await cadre.wait_for_function(UNREAD_IS, arg=unread - 1)
    read = cadre.locator(".notification", has_text=code)
    await read.locator("a.open").click()
    await cadre.wait_for_url("**/ui/cases/**")
    await cadre.locator("main", has_text=code).wait_for()  # the case page, filled in

    for _ in range(80):  # the webhook has its own sender loop: behind a backlog it may come a little later
        webhook = [r.json() for r in receiver.on("/webhook") if r.json()["tracking_code"] == code]
        if webhook:
            break
        await cadre.wait_for_timeout(250)
    assert [(b["recipient_cadre_id"], b["kind"]) for b in webhook] == [("v1-dir", "case_assigned")]


async def test_a_cadre_chooses_channels_and_an_impossible_choice_is_explained(
        new_page: Any, demo_passwords: str, notify_process: Any) -> None:
    page = await new_page(width=390, height=844)
    await log_in_with_password(page, "v1-dir", demo_passwords, "/ui/inbox")
    await page.goto("/ui/notifications")
    form = page.locator("#prefs-form[data-cadre='v1-dir']")
    await form.wait_for()
    await form.get_by_label("电子邮件", exact=True).check()
    await form.get_by_label("电子邮件地址").fill("")
    await form.get_by_role("button", name="保存").click()
    await page.wait_for_selector("#prefs-message.note-error")
    assert "电子邮件地址" in await page.locator("#prefs-message").inner_text()
    await form.get_by_label("电子邮件地址").fill("v1dir@example.org")
    await form.get_by_label("短信").check()
    await form.get_by_label("免打扰时段（22:00–07:00）").uncheck()
    await form.get_by_role("button", name="保存").click()
    await page.wait_for_selector("#prefs-message.note-ok")
    await page.reload()
    await form.wait_for()
    assert await form.get_by_label("电子邮件地址").input_value() == "v1dir@example.org"
    assert await form.get_by_label("短信").is_checked()
    assert not await form.get_by_label("免打扰时段（22:00–07:00）").is_checked()


async def test_the_admin_reads_every_attempt_and_resends(new_page: Any, logins: dict[str, str], notify_process: Any,
                                                         receiver: HttpReceiver, shots: Path) -> None:
    page = await new_page()
    await log_in_with_token(page, logins["admin"], "/ui/dashboard")
    await page.goto("/ui/deliveries")
    assert not await page.locator("#bell").is_visible(), "an admin is no cadre: nobody notifies them"
    await page.get_by_label("状态").select_option("sent")
    await page.get_by_label("渠道").select_option("webhook")
    await page.get_by_role("button", name="查询").click()
    row = page.locator("#deliveries tbody tr[data-status=sent]").first
    await row.wait_for()
    delivery = await row.get_attribute("data-delivery")
    await row.locator("summary").click()
    assert "成功" in await row.locator("details").inner_text()
    await shoot(page, shots, "28-delivery-log")
    sent_before = len(receiver.on("/webhook"))
    await row.get_by_role("button", name="重新发送").click()
    await page.wait_for_selector("#deliveries-message.note-ok")
    await page.wait_for_function("(id) => { const r = document.querySelector(`tr[data-delivery='${id}']`);"
                                 " return r === null || r.dataset.status !== 'sent'; }", arg=delivery)
    await page.get_by_label("状态").select_option("")
    for _ in range(40):  # the notifier sends it again within a second or two
        if len(receiver.on("/webhook")) > sent_before:
            break
        await page.wait_for_timeout(250)
    assert len(receiver.on("/webhook")) > sent_before
