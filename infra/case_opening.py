"""What a new case looks like when stored: the domain registers it, this module shapes
the resulting aggregate into the `cases` row and its opening `case_events`. Pure."""
from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from infra.db.case_rows import case_columns, event_rows
from models.case import Case
from models.deadlines import DEFAULT_POLICY, DeadlinePolicy
from models.escalation import DEFAULT_ESCALATION, EscalationPolicy
from models.petitioners import Petitioner, normalise_phone
from models.admission import check_occurred_at, resolve_accused
from models.intake import (INPUT_TOPICS, Accused, ContactCardFeedback, DiaryEntry, HotlineCall, InputEvent,
                           ReceptionVisit, visited_cadre_id)
from models.registration import NewCase, register
from models.roster import Roster
from models.routing import RoutingRequest

_CASE_NAMESPACE = uuid.UUID("7d0c3f52-52c1-4d8e-9a51-4f1c0e6b9a10")
# Crockford-style alphabet without look-alikes (0/O, 1/I/L): read aloud over a phone.
_TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class CaseOpening:
    """A new case: the aggregate, and what registration recorded beside it (tracking code,
    summary, petitioner, accusation, the event as received) — the `cases` row is both."""
    case: Case
    record: dict[str, Any]

    @property
    def row(self) -> dict[str, Any]:
        return self.row_for(DEFAULT_ESCALATION)

    def row_for(self, policy: EscalationPolicy) -> dict[str, Any]:
        return {**case_columns(self.case, policy=policy), **self.record}

    @property
    def events(self) -> tuple[dict[str, Any], ...]:
        return event_rows(self.case.events)


def case_id_for(topic: str, event_id: str) -> str:
    """Deterministic: a redelivered event maps to the same case id."""
    return str(uuid.uuid5(_CASE_NAMESPACE, f"{topic}\x00{event_id}"))


def new_tracking_code() -> str:
    return "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(10))


def routing_request(source: str, event: InputEvent) -> RoutingRequest:
    accused = getattr(event, "accused", None)
    return RoutingRequest(
        source=source, village_code=event.village_code, category=event.category,
        visited_cadre_id=visited_cadre_id(event),
        accused_cadre_ids=frozenset(accused.cadre_ids) if accused else frozenset(),
        accused_unit_codes=frozenset(accused.unit_codes) if accused else frozenset(),
    )


def admit(event: InputEvent, roster: Roster, now: datetime) -> InputEvent:
    """The event as it may enter: not from the future, its accused named as the roster spells
    them (a typo or a look-alike accuses somebody, or is refused — never nobody)."""
    check_occurred_at(event.occurred_at, now)
    accused = getattr(event, "accused", None)
    if accused is None:
        return event
    found = resolve_accused(roster, accused.cadre_ids, accused.unit_codes)
    return event.model_copy(update={"accused": Accused(cadre_ids=list(found.cadre_ids),
                                                       unit_codes=list(found.unit_codes))})


def accused_of(event: InputEvent) -> tuple[frozenset[str], frozenset[str]]:
    accused = getattr(event, "accused", None)
    if accused is None:
        return frozenset(), frozenset()
    return frozenset(accused.cadre_ids), frozenset(accused.unit_codes)


def opened_case(topic: str, event: InputEvent, roster: Roster, now: datetime,
                policy: DeadlinePolicy = DEFAULT_POLICY, *, related_case_id: str | None = None) -> CaseOpening:
    source, _ = INPUT_TOPICS[topic]
    resolution = event.resolution if isinstance(event, DiaryEntry) and event.resolved_on_spot else None
    new = NewCase(case_id_for(topic, event.event_id), event.event_id, routing_request(source, event),
                  getattr(event, "kind", None), getattr(event, "urgency", "normal"), event.occurred_at, resolution)
    case = register(new, roster, now, policy)
    routing = _routing_record(case)
    if related_case_id is not None:  # shown only to readers who may see both cases
        routing["related_case_id"] = related_case_id
    record = {
        "tracking_code": new_tracking_code(), "source_topic": topic, "summary": event.summary,
        "details": event.details, "registered_by": registered_by(event),
        "routing": routing, **_petitioner_columns(petitioner_of(event)),
        "accused": event.accused.model_dump() if getattr(event, "accused", None) else None,  # type: ignore[union-attr]
        "event": event.model_dump(mode="json"), "created_at": now,
    }
    return CaseOpening(case, record)


def registered_by(event: InputEvent) -> str | None:
    """Who entered the event: the operator, the diary's author, the card's cadre, the receiving leader."""
    for field in ("operator_id", "author_cadre_id", "card_cadre_id", "receiving_cadre_id"):
        value = getattr(event, field, None)
        if value:
            return str(value)
    return None


def _routing_record(case: Case) -> dict[str, Any]:
    assigned = next((e for e in case.events if e.type == "assigned"), None)
    if assigned is None:  # resolved on the spot: its author owns it by rule 5
        return {"rule": "resolved_on_spot", "explanation": ["a diary entry resolved on the spot by its author"],
                "steps": [{"code": "routing.resolved_on_spot", "params": {}}]}
    # `steps`: each reason as a code and its params, for the reader's language; `explanation`: English
    return {"rule": assigned.data.get("rule"), "explanation": list(assigned.data.get("explanation", ())),
            "steps": list(assigned.data.get("steps", ()))}


def _petitioner_columns(petitioner: dict[str, Any] | None) -> dict[str, Any]:
    who = identity_of(petitioner)
    return {"petitioner": petitioner, "petitioner_phone": who.phone, "petitioner_id_number": who.id_number}


def identity_of(petitioner: dict[str, Any] | None) -> Petitioner:
    """The matching identity: normalised phone and ID number; nothing for an anonymous caller."""
    if not petitioner or petitioner.get("anonymous"):
        return Petitioner(anonymous=True)
    id_number = (petitioner.get("id_number") or "").strip().upper() or None
    return Petitioner(normalise_phone(petitioner.get("phone")) or None, id_number)


def petitioner_of(event: InputEvent) -> dict[str, Any] | None:
    if isinstance(event, HotlineCall):
        return event.caller.model_dump()
    if isinstance(event, ContactCardFeedback):
        return {**event.resident.model_dump(), "id_number": None, "anonymous": False}
    if isinstance(event, ReceptionVisit) and event.representatives:
        first = event.representatives[0]
        return {"name": first.name, "phone": first.phone, "id_number": None, "anonymous": False}
    if isinstance(event, DiaryEntry):
        return {"name": event.household, "phone": None, "id_number": None, "anonymous": False}
    return None


def sighting_key(phone: str | None, id_number: str | None, case_id: str) -> str:
    """One key per petitioner for early warning; an unidentified one counts once, by its case."""
    return f"phone:{phone}" if phone else f"id:{id_number}" if id_number else f"case:{case_id}"
