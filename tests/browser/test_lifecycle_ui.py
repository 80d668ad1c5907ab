"""Every state of the lifecycle reachable from the UI (issue 11): not accepting a matter with
a confirm step, pausing and resuming, review and re-review requested at the desk and decided
by leaders (a refusal in Chinese), and the desk told why a re-reviewed matter is refused."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.api_steps import VILLAGE, act, call, closed_case, new_phone, password_token, re_reviewed_case, read
from tests.browser.steps import log_in_with_password, log_in_with_token, shoot
from tests.browser.test_chinese_everywhere import english_on

pytestmark = pytest.mark.integration


async def _status(base_url: str, token: str, case_id: str) -> str:
    return str((await read(base_url, token, f"/api/v1/cases/{case_id}"))["status"])


async def _no_english(page: Any) -> None:
    assert english_on(await page.locator("main").inner_text()) == []


async def test_not_accepting_a_matter_asks_once_more_and_then_ends_the_case(
        new_page: Any, base_url: str, logins: dict[str, str], demo_passwords: str, shots: Path) -> None:
    operator = logins["operator (t-op1)"]
    case = await call(base_url, operator, "要求村里出钱修自家院墙")
    page = await new_page(width=390, height=844)
    await log_in_with_password(page, "v1-dir", demo_passwords, "/ui/inbox")
    await page.goto(f"/ui/cases/{case['case_id']}#action-decline")
    form = page.locator("#action-decline")
    await form.wait_for()
    assert await page.locator("#more-actions").get_attribute("open") is not None  # the link unfolded it
    await form.get_by_label("不予受理理由").fill("属于个人财产纠纷，不属于信访受理范围")
    await form.get_by_label("书面告知内容（或告知书文号）").fill("槐溪镇不予受理告知书〔2026〕3号")
    await form.get_by_role("button", name="不予受理", exact=True).click()
    confirm = page.locator("#action-decline-confirm")
    await confirm.wait_for()
    assert "不能撤回" in await form.inner_text()
    await shoot(page, shots, "29-case-decline-confirm")
    assert await _status(base_url, operator, case["case_id"]) == "assigned"  # nothing sent yet

    await form.get_by_role("button", name="返回修改").click()
    assert await confirm.count() == 0
    assert await _status(base_url, operator, case["case_id"]) == "assigned"
    await form.get_by_role("button", name="不予受理", exact=True).click()
    await page.locator("#action-decline-confirm").click()
    banner = page.locator("#declined")
    await banner.wait_for()
    assert "个人财产纠纷" in await banner.inner_text() and "〔2026〕3号" in await banner.inner_text()
    assert await _status(base_url, operator, case["case_id"]) == "not_accepted"
    assert await page.locator("#case-timeline li[data-type='not_accepted']").count() == 1
    assert "当前没有您可以进行的操作" in await page.locator("#case-actions").inner_text()  # final
    await _no_english(page)


async def test_a_leader_pauses_the_clock_and_resumes_it(new_page: Any, base_url: str, logins: dict[str, str],
                                                        demo_passwords: str) -> None:
    operator, leader = logins["operator (t-op1)"], logins["leader (t-sec)"]
    case = await call(base_url, operator, "宅基地界址争议待测绘")
    cadre = await password_token(base_url, "v1-dir", demo_passwords)
    await act(base_url, cadre, case["case_id"], "accept")
    page = await new_page()
    await log_in_with_token(page, leader, "/ui/dashboard")
    await page.goto(f"/ui/cases/{case['case_id']}")
    pause = page.locator("#action-pause.primary")  # the leader's next step on an accepted case
    await pause.wait_for()
    await pause.locator("button").click()  # no reason: the form says so, nothing is sent
    assert "必须填写" in await pause.locator(".field-error").inner_text()
    await pause.get_by_label("理由").fill("等待县自然资源局测绘结果")
    await pause.locator("button").click()
    await page.wait_for_selector("#paused")
    assert "等待县自然资源局测绘结果" in await page.locator("#paused").inner_text()
    assert await _status(base_url, operator, case["case_id"]) == "paused"

    resume = page.locator("#action-resume.primary")
    await resume.wait_for()
    await resume.locator("button").click()
    await page.wait_for_selector("#case-timeline li[data-type='resumed']")
    assert await _status(base_url, operator, case["case_id"]) == "in_progress"
    assert await page.locator("#paused").count() == 0
    await _no_english(page)


async def test_review_and_re_review_requested_at_the_desk_and_decided_above_with_refusals_in_chinese(
        new_page: Any, base_url: str, logins: dict[str, str], demo_passwords: str, shots: Path) -> None:
    operator_token = logins["operator (t-op1)"]
    cadre = await password_token(base_url, "v1-dir", demo_passwords)
    case = await closed_case(base_url, operator_token, cadre, "低保资格被取消")
    operator = await new_page()
    await log_in_with_token(operator, operator_token, "/ui/desk")
    await operator.goto(f"/ui/cases/{case['case_id']}")
    request = operator.locator("#action-request-review.primary")
    await request.wait_for()
    await request.get_by_label("群众申请的理由").fill("认为家庭收入核算有误")
    await shoot(operator, shots, "32-case-review-request")
    await request.locator("button").click()
    await operator.wait_for_selector("#case-facts .status-under_review")

    lead1 = await new_page()
    await log_in_with_password(lead1, "t-lead1", demo_passwords, "/ui/dashboard")
    item = lead1.locator(f"#review-list li[data-case='{case['case_id']}']")
    await item.wait_for()
    assert "认为家庭收入核算有误" in await item.inner_text() and case["tracking_code"] in await item.inner_text()
    await item.scroll_into_view_if_needed()
    await shoot(lead1, shots, "33-dashboard-reviews")
    await item.get_by_role("link", name="查看并作出决定 →").click()
    decide = lead1.locator("#action-decide-review")
    await decide.wait_for()
    assert "认为家庭收入核算有误" in await decide.inner_text()  # what the petitioner asked
    await decide.get_by_label("决定意见").fill("经复查，收入核算无误，维持原处理意见")
    await decide.locator("button").click()
    await lead1.wait_for_selector("#case-facts .status-reviewed")

    await operator.reload()
    again = operator.locator("#action-request-re-review.primary")
    await again.wait_for()
    await again.get_by_label("群众申请的理由").fill("仍认为核算有误")
    await again.locator("button").click()
    await operator.wait_for_selector("#case-facts .status-under_re_review")

    await lead1.reload()  # the reviewer may not decide the re-review of their own review
    final = lead1.locator("#action-decide-re-review")
    await final.wait_for()
    await final.get_by_label("决定意见").fill("维持")
    await final.get_by_role("button", name="作出复核决定").click()
    await lead1.locator("#action-decide-re-review-confirm").click()
    await lead1.wait_for_selector("#case-message.note-error")
    refusal = await lead1.locator("#case-message").inner_text()
    assert "金晓东" in refusal and "不能自己决定" in refusal and english_on(refusal) == []
    assert await _status(base_url, operator_token, case["case_id"]) == "under_re_review"
    await shoot(lead1, shots, "34-case-re-review-refused")

    secretary = await new_page()
    await log_in_with_token(secretary, logins["leader (t-sec)"], "/ui/dashboard")
    await secretary.goto(f"/ui/cases/{case['case_id']}")
    final = secretary.locator("#action-decide-re-review.primary")
    await final.wait_for()
    await final.get_by_label("决定意见").fill("经复核，维持复查意见")
    await final.get_by_role("button", name="作出复核决定").click()
    assert "不再受理" in await final.inner_text()  # it is final: asked once more
    await secretary.locator("#action-decide-re-review-confirm").click()
    await secretary.wait_for_selector("#case-facts .status-re_reviewed")
    assert await _status(base_url, operator_token, case["case_id"]) == "re_reviewed"
    assert await secretary.locator("#case-timeline li[data-type='re_reviewed']").count() == 1
    await _no_english(secretary)


async def test_the_desk_explains_why_a_matter_concluded_by_re_review_is_not_logged(
        new_page: Any, base_url: str, logins: dict[str, str], demo_passwords: str, shots: Path) -> None:
    operator_token = logins["operator (t-op1)"]
    cadre = await password_token(base_url, "v1-dir", demo_passwords)
    reviewer = await password_token(base_url, "t-lead1", demo_passwords)
    phone = new_phone()
    case = await re_reviewed_case(base_url, operator_token, cadre, reviewer, logins["leader (t-sec)"],
                                  "村道占用补偿标准", phone=phone)
    page = await new_page()
    posted: list[int] = []
    page.on("response", lambda r: posted.append(r.status) if r.request.method == "POST" and r.url.endswith("/api/v1/calls") else None)
    await log_in_with_token(page, operator_token, "/ui/desk")
    await page.wait_for_selector("#category option >> nth=1", state="attached")
    await page.get_by_label("电话").fill(phone)
    await page.wait_for_selector(f"#earlier >> text={case['tracking_code']}")
    await page.get_by_label("村（社区）").fill(f"上溪村 {VILLAGE}")
    await page.get_by_label("类别").select_option("roads")
    await page.get_by_label("事项摘要").fill("补偿标准还是不合理")
    await page.get_by_label("事项摘要").press("Control+Enter")
    note = page.locator("#final-note")
    await note.wait_for()
    text = await note.inner_text()
    assert "不再受理" in text and "第三十六条" in text and "上溪村" in text and "道路交通" in text
    await page.wait_for_selector("#final-case a")
    assert await page.locator("#final-case a").inner_text() == case["tracking_code"]
    assert "复核维持" in await page.locator("#final-case").inner_text()
    assert await page.locator("#tracking-code").count() == 0  # no case was made of it
    assert posted == [409]
    assert await page.get_by_label("事项摘要").input_value() == "补偿标准还是不合理"  # nothing typed is lost
    await _no_english(page)
    await shoot(page, shots, "30-desk-final")
    await page.get_by_role("button", name="下一个来电").click()
    assert await page.locator("#final-note").count() == 0


async def test_a_repeat_call_accusing_someone_new_opens_its_own_case_linked_to_the_earlier_one(
        new_page: Any, base_url: str, logins: dict[str, str]) -> None:
    operator_token = logins["operator (t-op1)"]
    phone = new_phone()
    earlier = await call(base_url, operator_token, "村道修了一半就停工", phone=phone)
    page = await new_page()
    await log_in_with_token(page, operator_token, "/ui/desk")
    await page.wait_for_selector("#category option >> nth=1", state="attached")
    await page.get_by_label("电话").fill(phone)
    await page.wait_for_selector(f"#earlier >> text={earlier['tracking_code']}")
    await page.get_by_label("村（社区）").fill(f"上溪村 {VILLAGE}")
    await page.get_by_label("类别").select_option("roads")
    await page.get_by_label("性质").select_option("complaint")
    await page.get_by_label("被投诉/举报对象").select_option("cadre:v1-dir")  # the earlier case's owner
    await page.get_by_label("事项摘要").fill("村主任把修路款挪作他用")
    await page.get_by_label("事项摘要").press("Control+Enter")
    await page.wait_for_selector("#new-accusation-note")
    code = (await page.locator("#tracking-code").inner_text()).strip()
    assert code != earlier["tracking_code"] and await page.locator("#repeat-note").count() == 0
    assert "吴志刚" not in await page.locator("#case-owner").inner_text()  # never the accused

    await page.locator("#case-link").click()
    link = page.locator("#related-case a")
    await link.wait_for()
    assert await link.inner_text() == earlier["tracking_code"]
    await _no_english(page)
