"""Response shapes of the case API (CONTRACT "HTTP")."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class TimelineEntry(BaseModel):
    event_id: str
    seq: int
    type: str
    actor: str
    at: datetime
    data: dict[str, Any]


class CasePublic(BaseModel):
    case_id: str
    tracking_code: str
    status: str
    source: str
    source_event_id: str
    village_code: str
    category: str
    kind: str | None
    urgency: str
    summary: str
    owner_cadre_id: str
    handler_cadre_id: str
    escalation_level: int
    deadlines: dict[str, datetime]
    overdue: bool
    routing: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    timeline: list[TimelineEntry] = []


class CasesPublic(BaseModel):
    items: list[CasePublic]
    total: int
    limit: int
    offset: int


class Health(BaseModel):
    status: str
    database: dict[str, Any]
    broker: dict[str, Any]
