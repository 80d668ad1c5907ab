"""Set-up steps through the HTTP API, for browser tests that start from a case in a given state."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.conftest import SHANGHAI

VILLAGE = "330782101201"  # 上溪村; its director v1-dir answers the published hotline


def new_phone() -> str:
    return f"137{uuid.uuid4().int % 10**8:08d}"


async def password_token(base_url: str, username: str, password: str) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        answer = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


async def call(base_url: str, operator_token: str, summary: str, *, phone: str | None = None, category: str = "roads",
               days_ago: float = 0, dialed: str | None = "v1-dir", details: str | None = None) -> dict[str, Any]:
    """A hotline call to v1-dir's number, routed; `days_ago` puts it in the past (overdue)."""
    body = {"occurred_at": (datetime.now(SHANGHAI) - timedelta(days=days_ago)).isoformat(), "village_code": VILLAGE,
            "category": category, "kind": "help", "urgency": "normal", "summary": summary, "dialed_cadre_id": dialed,
            "details": details, "caller": {"name": "李建国", "phone": phone or new_phone(), "anonymous": False}}
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        answer = await client.post("/api/v1/calls", json=body, headers={"Authorization": f"Bearer {operator_token}"})
    assert answer.status_code == 202, answer.text
    case = answer.json()["case"]
    for _ in range(60):  # the 202 waits only briefly for the worker: look for the case a while longer
        if case is not None:
            return case  # type: ignore[no-any-return]
        await asyncio.sleep(0.5)
        found = await read(base_url, operator_token, f"/api/v1/cases?source_event_id={answer.json()['event_id']}")
        case = found["items"][0] if found["items"] else None
    raise AssertionError("the worker did not route the call in time")


async def act(base_url: str, token: str, case_id: str, action: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        answer = await client.post(f"/api/v1/cases/{case_id}/{action}", json=body or {},
                                   headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code in (200, 201), answer.text
    return answer.json()  # type: ignore[no-any-return]


async def read(base_url: str, token: str, path: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        answer = await client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


async def closed_case(base_url: str, operator_token: str, cadre_token: str, summary: str, *,
                      phone: str | None = None) -> dict[str, Any]:
    """A call to v1-dir answered, found satisfying at the callback and closed: open to review."""
    case = await call(base_url, operator_token, summary, phone=phone)
    await act(base_url, cadre_token, case["case_id"], "accept")
    await act(base_url, cadre_token, case["case_id"], "reply", {"text": "已按规定处理完毕"})
    await act(base_url, operator_token, case["case_id"], "callback", {"result": "satisfied", "problem_solved": True})
    await act(base_url, operator_token, case["case_id"], "close")
    return case


async def re_reviewed_case(base_url: str, operator_token: str, cadre_token: str, reviewer_token: str,
                           re_reviewer_token: str, summary: str, *, phone: str) -> dict[str, Any]:
    """A closed case whose review and re-review (by a leader above the reviewer) concluded."""
    case = await closed_case(base_url, operator_token, cadre_token, summary, phone=phone)
    await act(base_url, operator_token, case["case_id"], "review-requests", {"reason": "对处理结果不服"})
    await act(base_url, reviewer_token, case["case_id"], "review/decision", {"decision": "维持原处理意见"})
    await act(base_url, operator_token, case["case_id"], "re-review-requests", {"reason": "仍然不服"})
    await act(base_url, re_reviewer_token, case["case_id"], "re-review/decision", {"decision": "复核维持"})
    return case
