"""Helpers of the report service tests: a township clock fixed on a Monday meeting day,
and events entered as the field and the desk enter them."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from infra.services.app import Minqing
from tests.conftest import SHANGHAI
from tests.unit.services.conftest import V1, call, take_in

V2, V3 = "330782101202", "330782101203"
MONDAY = datetime(2025, 3, 17, 9, 0, tzinfo=SHANGHAI)      # a joint meeting; the previous one: Thursday the 13th


def at(day: int, hour: int = 10, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=SHANGHAI)


def diary(author: str, when: datetime, *, village: str = V1, category: str = "water", household: str = "张家",
          problems: str = "自来水压力不够", on_spot: bool = False, hopes: str | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {"event_id": f"d-{uuid.uuid4().hex[:16]}", "occurred_at": when.isoformat(),
                             "village_code": village, "category": category, "summary": problems[:40],
                             "author_cadre_id": author, "household": household, "problems": problems,
                             "resolved_on_spot": on_spot}
    if hopes:
        event["hopes"] = hopes
    if on_spot:
        event["resolution"] = "当场联系水电员处理"
    return event


async def write_diary(app: Minqing, *events: dict[str, Any]) -> list[str]:
    return await take_in(app, *events, topic="diary.entries")


async def phone_in(app: Minqing, when: datetime, **overrides: Any) -> str:
    (case_id,) = await take_in(app, call(occurred_at=when.isoformat(), **overrides))
    return case_id


def accusing(cadre_id: str, **overrides: Any) -> dict[str, Any]:
    """A complaint naming `cadre_id` (routed above them)."""
    return {"kind": "complaint", "accused": {"cadre_ids": [cadre_id], "unit_codes": []}, "dialed_cadre_id": None,
            **overrides}
