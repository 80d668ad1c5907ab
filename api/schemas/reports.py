"""The reports (CONTRACT "Reports") and what follows from them: 督办 items, top-issue picks,
diary-summary proposals, assessment weights, petitions beyond the township. Answers name
the promised fields and let the rest through (the contract allows more); request bodies
refuse unknown fields."""
from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from api.schemas.actions import CadreId, Text

VillageCode = Field(pattern=r"^\d{12}$")


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class VisitingDayItem(_Answer):
    cadre_id: str
    village_code: str
    days: int
    shortfall: int


class VisitingDaysPublic(_Answer):
    month: str
    items: list[VisitingDayItem]


class AssessmentItem(_Answer):
    village_code: str
    score: float
    stars: int = Field(ge=1, le=5)
    rank: int
    parts: dict[str, Any]


class AssessmentPublic(_Answer):
    period: str
    items: list[AssessmentItem]


class TopicItem(_Answer):
    label: str
    keywords: list[str]
    count: int
    village_codes: list[str]


class TopicsPublic(_Answer):
    month: str
    items: list[TopicItem]
    picks: list[dict[str, Any]]


class MeetingPublic(_Answer):
    since: AwareDatetime
    until: AwareDatetime
    meeting_day: date
    next_meeting_day: date
    totals: dict[str, int]
    villages: list[dict[str, Any]]
    supervision: list[dict[str, Any]]


class DiarySummaryPublic(_Answer):
    village_code: str
    period: str
    status: str
    submission: str
    by_category: list[dict[str, Any]]


class SupervisionItemPublic(_Answer):
    item_id: str
    title: str
    owner_cadre_id: str
    due_on: date
    status: str
    overdue: bool


class SupervisionItemsPublic(BaseModel):
    items: list[SupervisionItemPublic]


class SupervisionItemCreate(_Body):
    """A decision of the joint meeting: what, which leader answers for it, by when."""
    title: str = Field(min_length=1, max_length=500)
    owner_cadre_id: str = CadreId
    due_on: date
    village_code: str | None = Field(default=None, pattern=r"^\d{12}$")
    case_ids: list[str] = Field(default_factory=list, max_length=50)


class SupervisionAction(_Body):
    action: Literal["progress", "report_done", "close", "reopen", "extend"]
    note: str = Field(default="", max_length=4000)
    due_on: date | None = Field(default=None, description="extend: the new date")


class TopIssuePickCreate(_Body):
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    label: str = Field(min_length=1, max_length=500, description="a candidate's label, as the report shows it")
    owner_cadre_id: str = CadreId
    due_on: date


class ProposalPut(_Body):
    solution: str = Text


class UpwardPetitionCreate(_Body):
    village_code: str = VillageCode
    occurred_at: AwareDatetime
    level: Literal["county", "city", "province", "national"] = "county"
    reference: str | None = Field(default=None, max_length=500)


class WeightsPut(_Body):
    weights: dict[str, Any] = Field(description="any of the weights; the others keep their defaults")


class WeightsPublic(_Answer):
    weights: dict[str, Any]
    defaults: dict[str, Any]
    set_by: str | None
    set_at: AwareDatetime | None
