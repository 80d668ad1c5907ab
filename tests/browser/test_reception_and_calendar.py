"""A leader's reception day recorded at phone width and accepted on the spot; the working-day
calendar shown in words with provisional years explained, an official schedule imported by
an admin; the dashboard's warning when the coming 60 days have no official schedule."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.browser.api_steps import VILLAGE, password_token, read
from tests.browser.steps import log_in_with_password, log_in_with_token, shoot, unlabelled_controls
from tests.browser.test_chinese_everywhere import english_on
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.integration
IMPORT_YEAR = 2035  # far enough ahead that no other test's deadline reaches it


async def test_a_leader_records_a_reception_visit_at_phone_width_and_accepts_it(
        new_page: Any, base_url: str, logins: dict[str, str], demo_passwords: str, shots: Path) -> None:
    page = await new_page(width=390, height=844)
    await log_in_with_password(page, "t-lead1", demo_passwords, "/ui/dashboard")
    await page.goto("/ui/field")
    form = page.locator("#reception-form")
    await form.wait_for()  # a leader's reception day comes first
    assert await page.locator("#tab-reception").get_attribute("aria-selected") == "true"
    await page.wait_for_selector("#reception-village option >> nth=1", state="attached")
    await form.get_by_label("村（社区）").select_option(VILLAGE)
    await form.get_by_label("来访人数").fill("3")
    await form.get_by_label("代表 1 姓名").fill("吴大伯")
    await form.get_by_label("代表 1 电话").fill("13900001111")
    await form.get_by_role("button", name="添加代表").click()
    await form.get_by_label("代表 2 姓名").fill("吴二婶")
    await form.get_by_label("代表 2 电话").fill("abc")
    await form.get_by_label("性质").select_option("complaint")
    await form.get_by_label("被投诉/举报对象").select_option("cadre:v1-m1")
    await form.get_by_label("类别").select_option("land")
    await form.get_by_label("事项摘要").fill("土地流转租金长期拖欠")
    await form.get_by_label("详细情况").fill("三户村民代表反映，流转租金已拖欠两年")
    await form.get_by_role("button", name="登记接访").click()
    assert "11 位手机号" in await page.locator("#rep-1-phone-error").inner_text()  # checked before sending
    assert await unlabelled_controls(page) == []
    await shoot(page, shots, "31-reception-phone")
    await form.get_by_label("代表 2 电话").fill("0571-88886666")
    await form.get_by_role("button", name="登记接访").click()

    result = page.locator("#field-result")
    await result.locator("#field-tracking").wait_for(timeout=30_000)
    code = await result.locator("#field-tracking").inner_text()
    await result.get_by_role("button", name="受理").click()
    await page.wait_for_selector("#acceptance-message.note-ok")
    assert code in await page.locator("#acceptance-message").inner_text()
    assert english_on(await page.locator("main").inner_text()) == []

    owner = await password_token(base_url, "t-lead1", demo_passwords)
    found = await read(base_url, owner, f"/api/v1/cases?tracking_code={code}")
    case = await read(base_url, owner, f"/api/v1/cases/{found['items'][0]['case_id']}")
    assert (case["source"], case["owner_cadre_id"], case["status"]) == ("reception", "t-lead1", "accepted")
    assert case["registered_by"] == "t-lead1" and case["accused"]["cadre_ids"] == ["v1-m1"]
    assert case["details"] == "三户村民代表反映，流转租金已拖欠两年"
    # the first representative is the petitioner the receiving leader calls back
    assert (case["petitioner"]["name"], case["petitioner"]["phone"]) == ("吴大伯", "13900001111")


async def _outlook_expected(base_url: str, token: str) -> bool:
    today = datetime.now(SHANGHAI).date()
    years = {today.year, (today + timedelta(days=60)).year}
    return any([(await read(base_url, token, f"/api/v1/calendar/{year}"))["provisional"] for year in sorted(years)])


async def test_the_calendar_in_words_an_official_schedule_imported_and_the_60_day_warning(
        new_page: Any, base_url: str, logins: dict[str, str], shots: Path) -> None:
    expected = await _outlook_expected(base_url, logins["admin"])
    leader = await new_page()
    await log_in_with_token(leader, logins["leader (t-sec)"], "/ui/dashboard")
    await leader.wait_for_selector("#calendar-outlook-box[data-checked]", state="attached")
    assert await leader.locator("#calendar-outlook").count() == (1 if expected else 0)
    if expected:
        assert "暂定" in await leader.locator("#calendar-outlook").inner_text()

    admin = await new_page()
    await log_in_with_token(admin, logins["admin"], "/ui/dashboard")
    await admin.wait_for_selector("#calendar-outlook-box[data-checked]", state="attached")
    assert await admin.locator("#calendar-outlook").count() == (1 if expected else 0)  # from /healthz
    await admin.goto("/ui/calendar?year=2027")  # past the library's schedules: the law alone
    await admin.wait_for_selector("#calendar-days tbody tr")
    assert await admin.locator("#calendar-status").get_attribute("data-provisional") == "true"
    assert "暂定" in await admin.locator("#calendar-status").inner_text()
    table = await admin.locator("#calendar-days").inner_text()
    assert "春节" in table and "国庆节" in table and "按法定节日推算" in table
    assert english_on(await admin.locator("main").inner_text()) == []
    await shoot(admin, shots, "35-calendar")

    await admin.get_by_label("年份").fill(str(IMPORT_YEAR))
    await admin.get_by_label("年份").press("Tab")
    await admin.wait_for_selector(f"#calendar-import-year >> text={IMPORT_YEAR}")
    await admin.get_by_label("类型").select_option("official")
    await admin.get_by_label("来源").fill(f"国务院办公厅关于{IMPORT_YEAR}年部分节假日安排的通知")
    await admin.get_by_label("放假日期").fill(f"{IMPORT_YEAR}-01-01\n{IMPORT_YEAR}/2/7 {IMPORT_YEAR}-2-8，昨天")
    await admin.get_by_role("button", name="导入并重新计算时限").click()
    assert "昨天" in await admin.locator("#calendar-holidays-error").inner_text()  # not a date: nothing sent
    await admin.get_by_label("放假日期").fill(f"{IMPORT_YEAR}-01-01\n{IMPORT_YEAR}/2/7 {IMPORT_YEAR}-2-8")
    await admin.get_by_label("调休上班日期（周末上班）").fill(f"{IMPORT_YEAR}-02-03")
    await admin.get_by_role("button", name="导入并重新计算时限").click()
    await admin.wait_for_selector("#calendar-import-message.note-ok")
    assert "已导入" in await admin.locator("#calendar-import-message").inner_text()
    await admin.wait_for_selector("#calendar-status[data-provisional='false']")
    assert await admin.locator(f"#calendar-days tr[data-date='{IMPORT_YEAR}-02-07'][data-source='official']").count() == 1
    assert "调休上班" in await admin.locator(f"#calendar-days tr[data-date='{IMPORT_YEAR}-02-03']").inner_text()
    shown = await read(base_url, logins["admin"], f"/api/v1/calendar/{IMPORT_YEAR}")
    assert shown["provisional"] is False

    await leader.goto("/ui/calendar")  # leaders read it; only an admin imports
    await leader.wait_for_selector("#calendar-days tbody tr")
    assert await leader.locator("#calendar-import").is_hidden()
