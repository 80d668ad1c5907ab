"""Events entered through the API: a hotline call by an operator, a diary entry and a
contact-card feedback by a cadre in the field. They are the published input events, with the
event id (and the operator, author or card cadre) filled in from the request when absent."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from infra.services.submissions import Submitted
from models.intake import Caller, ContactCardFeedback, DiaryEntry, HotlineCall, ReceptionVisit, Resident
from models.petitioners import id_number_problem, phone_problem
from models.reasons import TEMPLATES

# An id entered over HTTP is scoped to its caller (`<kind>.<caller>.<id>`, at most 64 in all):
# the answer's `event_id` is the one to look the case up by.
_EventId = Field(default=None, min_length=1, max_length=48, pattern=r"^[A-Za-z0-9._:-]+$",
                 description="your idempotency key (a retry with the same key changes nothing); generated when absent")


def _checked(value: str | None, problem: Callable[[str | None], str | None]) -> str | None:
    """The desk's format rules (models.petitioners): a 422 whose `type` is the reason code."""
    code = problem(value)
    if code is not None:
        raise PydanticCustomError(code, TEMPLATES[code])
    return value


class DeskCaller(Caller):
    """A caller entered at the desk: a real phone number and a valid resident ID, or none."""

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return _checked(value, phone_problem)

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str | None) -> str | None:
        return _checked(value, id_number_problem)


class FieldResident(Resident):
    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return _checked(value, phone_problem)


class CallCreate(HotlineCall):
    caller: DeskCaller
    event_id: str | None = _EventId  # type: ignore[assignment]
    operator_id: str | None = Field(default=None, min_length=1, max_length=64,  # type: ignore[assignment]
                                    description="always the caller: omit it, or give the caller's own cadre id")


class DiaryCreate(DiaryEntry):
    event_id: str | None = _EventId  # type: ignore[assignment]
    author_cadre_id: str | None = Field(default=None, min_length=1, max_length=64,  # type: ignore[assignment]
                                        description="always the caller")


class ContactCardCreate(ContactCardFeedback):
    resident: FieldResident
    event_id: str | None = _EventId  # type: ignore[assignment]
    card_cadre_id: str | None = Field(default=None, min_length=1, max_length=64,  # type: ignore[assignment]
                                      description="always the caller (the cadre named on the card)")


class ReceptionCreate(ReceptionVisit):
    event_id: str | None = _EventId  # type: ignore[assignment]
    receiving_cadre_id: str | None = Field(default=None, min_length=1, max_length=64,  # type: ignore[assignment]
                                           description="always the caller: the leader who received the visit")


class RoutedCase(BaseModel):
    case_id: str
    tracking_code: str
    status: str
    owner_cadre_id: str
    handler_cadre_id: str
    routing: dict[str, Any]
    linked: bool = False  # the call was merged into the caller's open case on the same matter (a repeat)


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
