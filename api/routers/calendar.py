"""The working-day calendar of the statutory clock (CONTRACT "Calendar"): a year with where
each non-default day came from, and an admin's import of an official or local schedule."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Admin, App, CurrentActor
from api.problems import unprocessable
from api.schemas.problems import answers
from api.strict import StrictQueryRoute
from infra.services.calendar import ImportCalendar, ShowCalendar

router = APIRouter(route_class=StrictQueryRoute, prefix="/api/v1", tags=["admin"], responses=answers(401, 403))
Year = Annotated[int, Path(ge=1990, le=2200)]


class ScheduleUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    year: int = Field(ge=1990, le=2200)
    kind: Literal["official", "local"]
    source: str = Field(min_length=1, max_length=400, description="e.g. 国务院办公厅关于2027年部分节假日安排的通知")
    holidays: list[str] = Field(default_factory=list, max_length=366)
    workdays: list[str] = Field(default_factory=list, max_length=366)


class CalendarDayPublic(BaseModel):
    date: str
    working: bool
    source: str  # library | official | local | statutory
    name: str = ""


class CalendarPublic(BaseModel):
    year: int
    provisional: bool  # no official schedule for the year: deadlines follow the law alone
    days: list[CalendarDayPublic]


class CalendarImported(BaseModel):
    year: int
    kind: str
    provisional: bool
    recomputed_cases: int


@router.get("/calendar/{year}", response_model=CalendarPublic)
async def calendar_year(year: Year, app: App, actor: CurrentActor) -> CalendarPublic:
    return CalendarPublic(**await app.handle(ShowCalendar(year)))


@router.put("/admin/calendar/{year}", response_model=CalendarImported)
async def import_calendar(year: Year, body: ScheduleUpload, app: App, actor: Admin) -> CalendarImported:
    if body.year != year:
        raise unprocessable("year", f"the body is for {body.year}, the path for {year}")
    found: dict[str, Any] = await app.handle(ImportCalendar(actor, body.model_dump()))
    return CalendarImported(**found)
