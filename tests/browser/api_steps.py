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
               days_ago: float = 0, dialed: str | None = "v1-dir") -> dict[str, Any]:
    """A hotline call to v1-dir's number, routed; `days_ago` puts it in the past (overdue)."""
    body = {"occurred_at": (datetime.now(SHANGHAI) - timedelta(days=days_ago)).isoformat(), "village_code": VILLAGE,
            "category": category, "kind": "help", "urgency": "normal", "summary": summary, "dialed_cadre_id": dialed,
            "caller": {"name": "李建国", "phone": phone or new_phone(), "anonymous": False}}
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
