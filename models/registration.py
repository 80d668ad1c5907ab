"""Registering a new case: open it, route it and set its deadlines in one pure step."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models.case import Case, apply, record
from models.case_actions import Assign, ResolveOnSpot
from models.deadlines import (
    DEFAULT_POLICY,
    DeadlinePolicy,
    bases_for_new_case,
    deadlines_from,
)
from models.roster import Roster
from models.routing import RoutingRequest, route


@dataclass(frozen=True)
class NewCase:
    case_id: str
    source_event_id: str
    request: RoutingRequest
    kind: str | None
    urgency: str
    occurred_at: datetime
    resolution: str | None = None  # a diary entry resolved on the spot (CONTRACT rule 5)


def register(new: NewCase, roster: Roster, at: datetime, policy: DeadlinePolicy = DEFAULT_POLICY) -> Case:
    """Opened and assigned (or, for an on-the-spot diary resolution, resolved by its author)."""
    req = new.request
    bases = {} if new.resolution is not None else bases_for_new_case(
        req.source, new.kind, new.urgency, new.occurred_at, policy, category=req.category)
    case = Case(new.case_id, req.source, new.source_event_id, req.village_code, req.category or "other",
                new.kind, new.urgency, new.occurred_at, deadlines_from(bases, policy), deadline_basis=bases)
    case = record(case, "opened", at, req.visited_cadre_id, occurred_at=new.occurred_at.isoformat())
    if new.resolution is not None:
        return apply(case, ResolveOnSpot(req.visited_cadre_id or "", new.resolution), at, roster, policy)
    decision = route(req, roster, at)
    return apply(case, Assign.from_decision(decision, actor="system"), at, roster, policy)
