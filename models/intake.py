"""The four input events of CONTRACT "Input topics", as validated values.

These models *are* the published JSON Schemas (`minqing schemas` writes them to
docs/schemas/). Unknown fields are refused rather than ignored: a producer's typo
such as `dialled_cadre_id` would otherwise silently change who owns a case.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

VillageCode = Annotated[str, Field(pattern=r"^\d{12}$", description="12-digit statistical division code")]
CadreId = Annotated[str, Field(min_length=1, max_length=64)]
Kind = Literal["consult", "help", "suggestion", "complaint", "report"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Accused(_Strict):
    cadre_ids: list[CadreId] = Field(default_factory=list, max_length=50)
    unit_codes: list[VillageCode] = Field(default_factory=list, max_length=50)


class _Event(_Strict):
    event_id: str = Field(min_length=1, max_length=64, description="unique per topic: the idempotency key")
    occurred_at: AwareDatetime = Field(description="RFC 3339 with offset; statutory clocks run from it")
    village_code: VillageCode
    category: str = Field(default="other", min_length=1, max_length=32, pattern=r"^[a-z_]+$")
    summary: str = Field(min_length=1, max_length=200)
    details: str | None = Field(default=None, max_length=4000)


class Caller(_Strict):
    name: str | None = Field(default=None, max_length=64)
    phone: str | None = Field(default=None, max_length=32)
    id_number: str | None = Field(default=None, max_length=32)
    anonymous: bool = Field(default=False, description="an anonymous caller's name, phone and ID number are "
                                                         "dropped on reading: never stored, never shown")
    sms_opt_in: bool = Field(default=False, description="the caller agreed to SMS: tracking code, reply and "
                             "extension notices (never for an anonymous caller)")

    @model_validator(mode="after")
    def _forget_anonymous(self) -> Caller:
        # The petitioner's identity is protected (Arts. 28, 30): one who asks not to be known
        # is not traced, so what would trace them is not kept — not even masked.
        if self.anonymous and (self.name or self.phone or self.id_number or self.sms_opt_in):
            return self.model_copy(update={"name": None, "phone": None, "id_number": None, "sms_opt_in": False})
        return self


class HotlineCall(_Event):
    operator_id: CadreId
    caller: Caller
    dialed_cadre_id: CadreId | None = None
    kind: Kind
    urgency: Literal["normal", "urgent"] = "normal"
    accused: Accused | None = None


class Resident(_Strict):
    name: str | None = Field(default=None, max_length=64)
    phone: str | None = Field(default=None, max_length=32)


class ContactCardFeedback(_Event):
    card_cadre_id: CadreId
    resident: Resident
    channel: Literal["phone", "sms", "wechat", "in_person"]
    kind: Kind | None = None
    accused: Accused | None = None


class DiaryEntry(_Event):
    author_cadre_id: CadreId
    household: str = Field(min_length=1, max_length=200)
    problems: str | None = Field(default=None, max_length=4000)
    difficulties: str | None = Field(default=None, max_length=4000)
    hopes: str | None = Field(default=None, max_length=4000)
    resolved_on_spot: bool = False
    resolution: str | None = Field(default=None, max_length=4000)

    @model_validator(mode="after")
    def _has_content(self) -> DiaryEntry:
        if not any((self.problems, self.difficulties, self.hopes)):
            raise ValueError("a diary entry needs at least one of problems, difficulties or hopes")
        if self.resolved_on_spot and not self.resolution:
            raise ValueError("a diary entry resolved on the spot needs its resolution")
        return self


class Representative(_Strict):
    name: str = Field(min_length=1, max_length=64)
    phone: str | None = Field(default=None, max_length=32)


class ReceptionVisit(_Event):
    receiving_cadre_id: CadreId
    visitor_count: int = Field(ge=1, le=10_000)
    representatives: list[Representative] = Field(default_factory=list, max_length=5,
                                                  description="group visits send at most 5 (Art. 20)")
    kind: Kind | None = None
    accused: Accused | None = None


# topic name (without prefix) -> (source name used on cases, model)
INPUT_TOPICS: dict[str, tuple[str, type[_Event]]] = {
    "hotline.calls": ("hotline", HotlineCall),
    "contactcard.feedback": ("contactcard", ContactCardFeedback),
    "diary.entries": ("diary", DiaryEntry),
    "reception.visits": ("reception", ReceptionVisit),
}

InputEvent = HotlineCall | ContactCardFeedback | DiaryEntry | ReceptionVisit


def visited_cadre_id(event: InputEvent) -> str | None:
    """Who was visited (谁接访谁负责): the cadre who owns the case by rule 1."""
    if isinstance(event, HotlineCall):
        return event.dialed_cadre_id
    if isinstance(event, ContactCardFeedback):
        return event.card_cadre_id
    if isinstance(event, DiaryEntry):
        return event.author_cadre_id
    return event.receiving_cadre_id
