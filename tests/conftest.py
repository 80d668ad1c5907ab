"""Shared fixtures. The real broker and PostgreSQL start only when a test asks for them."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

# The running system (broker, PostgreSQL, worker), shared by integration and browser tests.
pytest_plugins = ["tests.system_fixtures"]

SHANGHAI = timezone(timedelta(hours=8))


@pytest.fixture
def event_id() -> str:
    return f"t-{uuid.uuid4().hex[:20]}"


def hotline_call(event_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid `hotline.calls` event for the demo township."""
    event: dict[str, Any] = {
        "event_id": event_id,
        "occurred_at": datetime.now(SHANGHAI).replace(microsecond=0).isoformat(),
        "village_code": "330782101201",
        "category": "water",
        "summary": "自来水停水三天，村里老人用水困难",
        "operator_id": "t-op1",
        # a phone of its own: the same caller on the same matter would be linked as a repeat
        "caller": {"name": "王秀英", "phone": f"139{uuid.uuid4().int % 10**8:08d}", "id_number": None,
                   "anonymous": False},
        "dialed_cadre_id": "v1-dir",
        "kind": "help",
        "urgency": "normal",
    }
    event.update(overrides)
    return event
