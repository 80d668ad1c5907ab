"""Cases as callers see them (CONTRACT "HTTP"): the case, its timeline, lists and counts."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


AFTER = ("a page's `next_cursor`: the page after it (keyset: as fast at any depth, and cases registered "
         "meanwhile neither repeat nor shift the pages); no `offset` with it")


class CallerLookup(BaseModel):
    """A caller's phone travels in the body: a URL ends up in access logs and browser history."""
    model_config = ConfigDict(extra="forbid")
    phone: str = Field(min_length=3, max_length=32)
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=1_000_000)
    after: str | None = Field(default=None, max_length=512, description=AFTER)


class TimelineEntry(BaseModel):
    event_id: str
    seq: int
    type: str
    actor: str
    at: datetime
    data: dict[str, Any]


class Petitioner(BaseModel):
    """Phone and id number are masked (138****0001) except for those who call back."""
    name: str | None
    phone: str | None
    id_number: str | None
    anonymous: bool
    masked: bool


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
    details: str | None = None          # what the petitioner said beyond the summary, as entered
    owner_cadre_id: str
    handler_cadre_id: str
    escalation_level: int
    escalated_to_cadre_id: str | None = None
    escalation_acting_cadre_id: str | None = None  # the recipient's backup while they are away
    unsatisfied_count: int = 0                      # callbacks that sent the case back
    deadlines: dict[str, datetime]
    due_at: datetime | None
    due_stage: str | None = None
    deadlines_provisional: bool = False  # counted across a year with no official holiday schedule
    overdue: bool
    warning: bool
    routing: dict[str, Any]
    occurred_at: datetime | None = None  # when the petitioner spoke: the statutory clocks run from it
    registered_by: str | None = None     # the operator, author, card cadre or receiving leader
    created_at: datetime                 # when the case was registered
    updated_at: datetime
    allowed_actions: list[str] = []
    timeline: list[TimelineEntry] = []


class CaseDetail(CasePublic):
    petitioner: Petitioner | None = None
    accused: dict[str, Any] | None = None


class CasesPublic(BaseModel):
    items: list[CasePublic]
    # every match; null only on a page asked `after` a cursor (the first page of a walk counts)
    total: int | None
    limit: int
    offset: int
    q: str | None = None  # the search applied, if any
    next_cursor: str | None = Field(default=None, description="pass as `after` for the next page; null on the last")


class CaseCounts(BaseModel):
    total: int
    open: int
    overdue: int
    escalated: int
    by_status: dict[str, int]


class Health(BaseModel):
    """Without an admin's token only `status`; the rest are the admin's details."""
    status: Literal["ok", "degraded"]
    database: dict[str, Any] | None = None
    broker: dict[str, Any] | None = None
    # whether the database schema is the one this code expects (else: why it waits)
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    # consumer lag per topic, dead letters per topic, outbox backlog, relay lag, overdue cases
    pipeline: dict[str, Any] | None = None
    # whether the coming 60 days have an official holiday schedule (a warning, not a failure)
    calendar: dict[str, Any] | None = None
    # the notifiers: their consumer lag, deliveries due and waiting, the oldest due one's wait,
    # dead letters not re-sent, the last hour's attempts by outcome, the last notification stored
    notifications: dict[str, Any] | None = None
