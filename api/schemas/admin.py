"""Administration: roster imports, whereabouts, the category catalogue, the audit log."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RosterImported(BaseModel):
    units: int
    cadres: int
    source: str


class WhereaboutsUpdate(_Body):
    status: Literal["on_duty", "visiting", "meeting", "away", "leave"]
    until: AwareDatetime | None = None


class WhereaboutsPublic(BaseModel):
    cadre_id: str
    status: str
    until: datetime | None


class CategoryPublic(BaseModel):
    code: str
    label: str
    handling_working_days: int
    overridden: bool


class CategoriesPublic(BaseModel):
    items: list[CategoryPublic]


class CategoryUpdate(_Body):
    label: str = Field(min_length=1, max_length=64)
    handling_working_days: int = Field(ge=1, le=60)


class AuditEntry(BaseModel):
    id: int
    seq: int
    at: datetime
    role: str
    cadre_id: str | None
    token_id: str | None
    username: str | None
    address: str | None
    action: str
    case_id: str | None
    detail: dict[str, Any]


class AuditPublic(BaseModel):
    items: list[AuditEntry]
