"""Events entered through the API: a hotline call by an operator, a diary entry and a
contact-card feedback by a cadre in the field. They are the published input events, with the
event id (and the operator, author or card cadre) filled in from the request when absent."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from infra.services.submissions import Submitted
from models.intake import ContactCardFeedback, DiaryEntry, HotlineCall

_EventId = Field(default=None, min_length=1, max_length=64, description="idempotency key; generated when absent")


class CallCreate(HotlineCall):
    event_id: str | None = _EventId  # type: ignore[assignment]
    operator_id: str | None = Field(default=None, min_length=1, max_length=64,  # type: ignore[assignment]
                                    description="defaults to the caller's own cadre id")


class DiaryCreate(DiaryEntry):
    event_id: str | None = _EventId  # type: ignore[assignment]
    author_cadre_id: str | None = Field(default=None, min_length=1, max_length=64,  # type: ignore[assignment]
                                        description="always the caller")


class ContactCardCreate(ContactCardFeedback):
    event_id: str | None = _EventId  # type: ignore[assignment]
    card_cadre_id: str | None = Field(default=None, min_length=1, max_length=64,  # type: ignore[assignment]
                                      description="defaults to the caller (the cadre named on the card)")


class RoutedCase(BaseModel):
    case_id: str
    tracking_code: str
    status: str
    owner_cadre_id: str
    handler_cadre_id: str
    routing: dict[str, Any]


class EarlierCase(BaseModel):
    case_id: str
    tracking_code: str
    status: str
    category: str
    summary: str
    created_at: Any
    owner_cadre_id: str


class EventAccepted(BaseModel):
    """202: the event is stored and will reach its topic; `case` once the worker routed it
    (and only if the caller may see it)."""
    event_id: str
    topic: str
    case: RoutedCase | None = None
    earlier_cases: list[EarlierCase] = []


def accepted(submitted: Submitted) -> EventAccepted:
    return EventAccepted(event_id=submitted.event_id, topic=submitted.topic,
                         case=RoutedCase(**submitted.case) if submitted.case else None,
                         earlier_cases=[EarlierCase(**row) for row in submitted.earlier_cases])
