"""Staff find any case they may see by what they know of it — a phone number, a word the
petitioner said, a tracking code read out — though it is far beyond the list's first page;
the inbox shows matches outside the to-do list apart; the owner taps the petitioner's number
to call back, and nobody else in the village sees it."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from infra.producer import produce_events
from tests.browser.api_steps import act, call, new_phone, password_token, read
from tests.browser.steps import log_in_with_password, log_in_with_token
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.integration
PAGE = 200  # what /ui/cases loads at once
OTHER_VILLAGES = ("330782101202", "330782101203", "330782101204", "330782101205")
CATEGORIES = ("water", "land", "roads", "social_security", "medical", "elderly", "dispute", "environment", "safety")


def _calls(count: int) -> list[tuple[str, dict[str, Any]]]:
    """Calls of other villages by distinct callers: new open cases, none in v1-dir's to-do list."""
    now = datetime.now(SHANGHAI)
    return [("hotline.calls", {
        "event_id": f"ui-search-{uuid.uuid4().hex[:12]}", "occurred_at": (now - timedelta(seconds=i)).isoformat(),
        "village_code": OTHER_VILLAGES[i % len(OTHER_VILLAGES)], "category": CATEGORIES[i % len(CATEGORIES)],
        "summary": "路灯不亮", "operator_id": "t-op1", "kind": "help", "urgency": "normal", "dialed_cadre_id": None,
        "caller": {"name": "测试群众", "phone": new_phone(), "anonymous": False}}) for i in range(count)]


async def _open_cases(base_url: str, token: str) -> dict[str, Any]:
    return await read(base_url, token, f"/api/v1/cases?open=true&limit={PAGE}")


async def test_the_case_search_finds_a_case_beyond_the_loaded_page_by_phone_words_or_code(
        new_page: Any, base_url: str, logins: dict[str, str], settings: Any, endpoints: Any) -> None:
    operator = logins["operator (t-op1)"]
    phone = new_phone()
    target = await call(base_url, operator, "水渠堵塞", phone=phone, details="东侧灌溉水渠被建筑垃圾堵死")
    before = (await _open_cases(base_url, operator))["total"]
    await produce_events(settings, endpoints.kafka_url, _calls(PAGE + 5))
    for _ in range(120):  # routed by the worker
        if (await _open_cases(base_url, operator))["total"] >= before + PAGE + 5:
            break
        await asyncio.sleep(0.5)
    first_page = await _open_cases(base_url, operator)
    assert target["case_id"] not in {item["case_id"] for item in first_page["items"]}  # beyond the first page

    page = await new_page()
    await log_in_with_token(page, operator, "/ui/desk")
    await page.goto("/ui/cases")
    await page.wait_for_selector("#cases-list li[data-case]")
    search = page.get_by_label("搜索")
    wanted = f"#cases-list li[data-case='{target['case_id']}']"
    for query in (phone, "建筑垃圾", " ".join([target["tracking_code"][:5].lower(), target["tracking_code"][5:]])):
        await search.fill(query)
        await page.wait_for_selector(wanted)
        assert await page.locator("#cases-list li[data-case]").count() == 1, query
        assert await page.locator("#cases-count").inner_text() == "找到 1 件"
    assert "q=" in page.url  # the search is kept in the address, for the back button and a shared link

    await search.fill("")
    async with page.expect_response(lambda r: "sent_back=true" in r.url and r.status == 200):
        await page.get_by_label("显示", exact=True).select_option("returned")  # 退回重办: the server filters
    await page.wait_for_selector("#cases-list[aria-busy='false']")  # the answer is drawn, not only received
    counts = await page.eval_on_selector_all("#cases-list li[data-case] .returned", "b => b.length")
    assert counts == await page.locator("#cases-list li[data-case]").count()


async def test_the_inbox_finds_by_phone_lists_matches_beyond_the_to_do_list_apart_and_filters_what_was_sent_back(
        new_page: Any, base_url: str, logins: dict[str, str], demo_passwords: str) -> None:
    operator = logins["operator (t-op1)"]
    cadre = await password_token(base_url, "v1-dir", demo_passwords)
    phone = new_phone()
    returned = await call(base_url, operator, "自来水有异味", phone=phone, category="water")
    await act(base_url, cadre, returned["case_id"], "accept")
    await act(base_url, cadre, returned["case_id"], "reply", {"text": "已冲洗管道"})
    await act(base_url, operator, returned["case_id"], "callback", {"result": "unsatisfied", "note": "还是有味道"})

    page = await new_page(width=390, height=844)
    await log_in_with_password(page, "v1-dir", demo_passwords, "/ui/inbox")
    await page.wait_for_selector(f"#inbox-list li[data-case='{returned['case_id']}']")
    await page.get_by_label("显示", exact=True).select_option("returned")
    item = page.locator(f"#inbox-list li[data-case='{returned['case_id']}']")
    assert "退回重办 1 次" in await item.inner_text()
    assert await page.locator("#inbox-list li[data-case] .returned").count() == await page.locator("#inbox-list li[data-case]").count()
    await page.get_by_label("显示", exact=True).select_option("all")
    await page.get_by_label("搜索").fill(phone)  # the list does not show phones: the server finds it
    await page.wait_for_selector("#inbox-others-count >> text=共 0 件")
    assert await page.locator("#inbox-list li[data-case]").count() == 1
    assert await item.count() == 1

    leader = await new_page()  # the leader in charge of the village: in reach, not in his to-do list
    await log_in_with_password(leader, "t-lead1", demo_passwords, "/ui/dashboard")
    await leader.goto("/ui/inbox")
    await leader.wait_for_selector("#inbox-count:not(:empty)")
    await leader.get_by_label("搜索").fill(phone)
    await leader.wait_for_selector(f"#inbox-others-list li[data-case='{returned['case_id']}']")
    assert await leader.locator(f"#inbox-list li[data-case='{returned['case_id']}']").count() == 0


async def test_the_owner_taps_the_number_to_call_back_and_a_village_colleague_sees_it_masked(
        new_page: Any, base_url: str, logins: dict[str, str], demo_passwords: str) -> None:
    phone = new_phone()
    case = await call(base_url, logins["operator (t-op1)"], "低洼地段积水进屋", phone=phone)
    owner = await new_page(width=390, height=844)
    await log_in_with_password(owner, "v1-dir", demo_passwords, "/ui/inbox")
    await owner.goto(f"/ui/cases/{case['case_id']}")
    link = owner.locator("#petitioner-call")
    await link.wait_for()
    assert await link.get_attribute("href") == f"tel:{phone}" and await link.inner_text() == phone
    await owner.locator("#action-accept button").click()  # the answer to an action is masked: the number stays
    await owner.wait_for_selector("#action-contact.primary")
    assert await owner.locator("#petitioner-call").get_attribute("href") == f"tel:{phone}"

    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        issued = await client.post("/api/v1/admin/tokens", json={"role": "cadre", "cadre_id": "v1-sec", "days": 1},
                                   headers={"Authorization": f"Bearer {logins['admin']}"})
    assert issued.status_code == 201, issued.text
    secretary = await new_page()  # the branch secretary reads the village's cases, but does not call back
    await log_in_with_token(secretary, issued.json()["token"], "/ui/inbox")
    await secretary.goto(f"/ui/cases/{case['case_id']}")
    await secretary.wait_for_selector("#petitioner-phone")
    assert await secretary.locator("#petitioner-call").count() == 0
    assert phone not in await secretary.locator("main").inner_text()
    assert "****" in await secretary.locator("#petitioner-phone").inner_text()
    assert "包案人或承办人" in await secretary.locator("#case-next-by").inner_text()  # whose step it is
