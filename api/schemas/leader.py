"""What leaders decide and watch: extension requests, early warnings, the three rates."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class ExtensionRequestPublic(BaseModel):
    id: int
    case_id: str
    requested_by: str
    days: int
    reason: str
    requested_at: datetime
    status: str
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str | None = None


class ExtensionRequestsPublic(BaseModel):
    items: list[ExtensionRequestPublic]


class AlertPublic(BaseModel):
    alert_id: str
    kind: str
    village_code: str
    category: str
    leader_cadre_id: str | None
    petitioners: int
    window_start: datetime
    window_end: datetime
    raised_at: datetime
    data: dict[str, Any]


class AlertsPublic(BaseModel):
    items: list[AlertPublic]


class RatePublic(BaseModel):
    numerator: int
    denominator: int
    value: float | None


class RatesRow(BaseModel):
    key: str  # a village code or a cadre id
    cases: int
    response: RatePublic
    resolution: RatePublic
    satisfaction: RatePublic


class RatesPublic(BaseModel):
    by: str
    start: datetime
    end: datetime
    rows: list[RatesRow]
