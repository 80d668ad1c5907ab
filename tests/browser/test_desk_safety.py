"""Nothing the operator types is lost and nothing wrong is recorded by one key: Enter never
logs a call, nothing is pre-chosen, numbers are checked, and the next call starts from nothing."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from models.petitioners import id_number_problem, phone_problem
from tests.browser.api_steps import VILLAGE, new_phone
from tests.browser.steps import log_in_with_token, shoot

pytestmark = pytest.mark.integration


async def _desk(new_page: Any, logins: dict[str, str]) -> tuple[Any, list[str]]:
    page = await new_page()
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" and r.url.endswith("/api/v1/calls") else None)
    await log_in_with_token(page, logins["operator (t-op1)"], "/ui/desk")
    await page.wait_for_selector("#category option >> nth=1", state="attached")
    return page, posted


async def _fill(page: Any, phone: str, summary: str, category: str | None = "water", name: str = "赵桂兰") -> None:
    await page.get_by_label("电话").fill(phone)
    await page.get_by_label("姓名").fill(name)
    await page.get_by_label("村（社区）").fill(f"上溪村 {VILLAGE}")
    if category:
        await page.get_by_label("类别").select_option(category)
    await page.get_by_label("事项摘要").fill(summary)


async def test_enter_never_logs_a_call_and_no_category_is_chosen_for_the_operator(new_page: Any,
                                                                                  logins: dict[str, str]) -> None:
    page, posted = await _desk(new_page, logins)
    assert await page.locator("#category").input_value() == ""
    await _fill(page, new_phone(), "村里路灯不亮", category=None)
    await page.get_by_label("事项摘要").press("Enter")
    assert "Ctrl+Enter" in await page.locator("#desk-message").inner_text()
    await page.get_by_label("事项摘要").press("Control+Enter")
    await page.wait_for_selector("#category[aria-invalid=true]")
    assert "请选择类别" in await page.locator("#category-error").inner_text()
    assert await page.evaluate("document.activeElement.id") == "category"
    assert posted == []  # neither key sent the call
    await page.get_by_label("类别").select_option("safety")
    await page.get_by_label("事项摘要").press("Control+Enter")
    await page.wait_for_selector("#tracking-code")
    assert len(posted) == 1


async def test_a_wrong_phone_or_id_number_is_refused_next_to_its_field(new_page: Any, logins: dict[str, str],
                                                                    shots: Path) -> None:
    page, posted = await _desk(new_page, logins)
    await _fill(page, "abc", "自来水发黄")
    await page.get_by_label("身份证号").fill("123")
    await page.get_by_role("button", name="登记来电").click()
    assert "11 位手机号" in await page.locator("#caller-phone-error").inner_text()
    assert "18 位" in await page.locator("#caller-id-error").inner_text()
    await shoot(page, shots, "13-desk-checks")
    await page.get_by_label("电话").fill("0571-88886666")
    await page.get_by_label("身份证号").fill("110105194912310021")  # wrong check character
    await page.get_by_role("button", name="登记来电").click()
    assert await page.locator("#caller-phone-error").count() == 0
    assert "校验位" in await page.locator("#caller-id-error").inner_text()
    assert posted == []


SAMPLES_PHONE = ["13812345678", "+86 138-1234-5678", "0571-88886666", "010-62345678", "(0571)8888666", "abc", "123",
                 "12812345678", "010-12345678", "+1 415 555 0100", "138 1234 5678", "0086 13812345678", ""]
SAMPLES_ID = ["11010519491231002X", "11010519491231002x", "110105194912310021", "123", "110105194913310021",
              "110105189912310021", "01010519491231002X", ""]


async def test_the_forms_check_numbers_exactly_as_the_domain_does(new_page: Any, logins: dict[str, str]) -> None:
    page, _ = await _desk(new_page, logins)
    phones = await page.evaluate("s => s.map(MQ.phoneProblem)", SAMPLES_PHONE)
    ids = await page.evaluate("s => s.map(MQ.idProblem)", SAMPLES_ID)
    assert phones == [phone_problem(p) for p in SAMPLES_PHONE]
    assert ids == [id_number_problem(i) for i in SAMPLES_ID]


async def test_the_next_call_starts_from_nothing_and_a_repeat_call_is_told(new_page: Any, logins: dict[str, str],
                                                                           shots: Path) -> None:
    page, _ = await _desk(new_page, logins)
    phone = new_phone()
    await _fill(page, phone, "自来水停水两天")
    await page.get_by_label("详细情况").fill("全组二十户停水")
    await page.get_by_label("事项摘要").press("Control+Enter")
    first = (await page.locator("#tracking-code").inner_text()).strip()
    assert await page.locator("#repeat-note").count() == 0

    await page.get_by_role("button", name="下一个来电").click()
    assert await page.locator("#tracking-code").count() == 0
    assert "登记后在此显示" in await page.locator("#result").inner_text()
    assert first not in await page.locator("main").inner_text()  # nor in the caller's history
    for field in ("#caller-phone", "#caller-name", "#village", "#summary", "#details", "#category"):
        assert await page.locator(field).input_value() == "", field
    assert await page.evaluate("document.activeElement.id") == "caller-phone"

    await page.get_by_label("电话").fill(phone)  # the same caller, the same matter
    await page.wait_for_selector(f"#earlier >> text={first}")  # their open case, at once
    await page.get_by_label("村（社区）").fill(f"上溪村 {VILLAGE}")
    await page.get_by_label("类别").select_option("water")
    await page.get_by_label("事项摘要").fill("还是没有水")
    await page.get_by_label("事项摘要").press("Control+Enter")
    await page.wait_for_selector("#repeat-note")
    assert (await page.locator("#tracking-code").inner_text()).strip() == first
    assert "已并入该案" in await page.locator("#repeat-note").inner_text()
    await shoot(page, shots, "14-desk-repeat")
