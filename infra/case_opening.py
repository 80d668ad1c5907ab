"""What a new case looks like when stored: the row and its first events.

Pure (no I/O): the domain decides owner, handler and deadlines; this module only
shapes the decision into the `cases` row and the opening `case_events`.
"""
from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from infra.db.case_repo import NewCaseEvent
from models.deadlines import deadlines_for_new_case
from models.intake import (INPUT_TOPICS, ContactCardFeedback, DiaryEntry, HotlineCall, InputEvent,
                           ReceptionVisit, visited_cadre_id)
from models.roster import Roster
from models.routing import RoutingDecision, RoutingRequest, route

_CASE_NAMESPACE = uuid.UUID("7d0c3f52-52c1-4d8e-9a51-4f1c0e6b9a10")
# Crockford-style alphabet without look-alikes (0/O, 1/I/L): read aloud over a phone.
_TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class CaseOpening:
    row: dict[str, Any]
    events: tuple[NewCaseEvent, ...]


def case_id_for(topic: str, event_id: str) -> str:
    """Deterministic: a redelivered event maps to the same case id."""
    return str(uuid.uuid5(_CASE_NAMESPACE, f"{topic}\x00{event_id}"))


def case_event_id(case_id: str, seq: int) -> str:
    return str(uuid.uuid5(uuid.UUID(case_id), str(seq)))


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


def opened_case(topic: str, event: InputEvent, roster: Roster, now: datetime) -> CaseOpening:
    source, _ = INPUT_TOPICS[topic]
    decision = route(routing_request(source, event), roster, now)
    resolved = isinstance(event, DiaryEntry) and event.resolved_on_spot
    kind, urgency = getattr(event, "kind", None), getattr(event, "urgency", "normal")
    deadlines = {} if resolved else deadlines_for_new_case(source, kind, urgency, event.occurred_at)
    case_id = case_id_for(topic, event.event_id)
    row = {
        "case_id": case_id, "tracking_code": new_tracking_code(),
        "status": "resolved" if resolved else "assigned",
        "source": source, "source_topic": topic, "source_event_id": event.event_id,
        "village_code": event.village_code, "category": event.category, "kind": kind, "urgency": urgency,
        "summary": event.summary, "owner_cadre_id": decision.owner_cadre_id,
        "handler_cadre_id": decision.handler_cadre_id, "escalation_level": decision.escalation_level,
        "deadlines": {stage: due.isoformat() for stage, due in deadlines.items()},
        "next_due_at": min(deadlines.values()) if deadlines else None,
        "routing": routing_record(decision), "petitioner": petitioner_of(event),
        "accused": event.accused.model_dump() if getattr(event, "accused", None) else None,
        "event": event.model_dump(mode="json"), "occurred_at": event.occurred_at,
        "created_at": now, "updated_at": now,
    }
    return CaseOpening(row, _opening_events(case_id, event, decision, resolved, now))


def routing_record(decision: RoutingDecision) -> dict[str, Any]:
    return {"rule": decision.rule, "explanation": list(decision.explanation),
            "skipped": [{"cadre_id": cadre_id, "reason": reason} for cadre_id, reason in decision.skipped]}


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


def _opener(event: InputEvent) -> str:
    if isinstance(event, HotlineCall):
        return event.operator_id
    return visited_cadre_id(event) or SYSTEM_ACTOR


def _opening_events(case_id: str, event: InputEvent, decision: RoutingDecision, resolved: bool,
                    now: datetime) -> tuple[NewCaseEvent, ...]:
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("opened", _opener(event), {"source_event_id": event.event_id, "occurred_at": event.occurred_at.isoformat()}),
        ("assigned", SYSTEM_ACTOR, {"owner_cadre_id": decision.owner_cadre_id,
                                    "escalation_level": decision.escalation_level, **routing_record(decision)}),
    ]
    if decision.handler_cadre_id != decision.owner_cadre_id:
        steps.append(("delegated", SYSTEM_ACTOR, {"handler_cadre_id": decision.handler_cadre_id}))
    if resolved:
        assert isinstance(event, DiaryEntry)
        steps.append(("resolved", event.author_cadre_id, {"resolution": event.resolution, "on_spot": True}))
    return tuple(NewCaseEvent(case_event_id(case_id, seq), seq, kind, actor, now, data)
                 for seq, (kind, actor, data) in enumerate(steps, start=1))
