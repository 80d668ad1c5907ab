"""Bases for cases stored before deadlines kept theirs, rebuilt from the case's history.

Cases opened before this change carry deadlines without the basis `clock.recompute_deadlines`
needs; many of them crossed into 2027 on a Monday-to-Friday count. Their history says what
happened (acceptance, extensions, pauses, review requests), so their bases can be rebuilt:
the opening limits from the policy, the rest from the events. A rebuilt stage is kept only
when it reproduces the stored due time wherever that can be checked (a period lying wholly in
years with an official schedule, which the old calendar counted the same way); a stage that
does not is left without a basis, and so is never recomputed.
"""
from __future__ import annotations

from dataclasses import replace

from models.case import Case
from models.clock import DUTY_STAGES
from models.deadlines import (
    CONCLUSION,
    RE_REVIEW_DECISION,
    REVIEW_DECISION,
    Basis,
    DeadlinePolicy,
    bases_for_new_case,
    deadlines_from,
)
from models.errors import DomainError
from models.workcalendar import local_date

_REQUESTS = {"review_requested": REVIEW_DECISION, "re_review_requested": RE_REVIEW_DECISION}


def basis_from_history(case: Case, policy: DeadlinePolicy) -> Case:
    """The case with the bases its history supports (unchanged if it has bases, or its
    history is not fully loaded)."""
    if case.deadline_basis or not case.deadlines or case.base_version != 0 or not case.events:
        return case
    try:
        bases = bases_for_new_case(case.source, case.kind, case.urgency, case.occurred_at, policy,
                                   category=case.category)
    except DomainError:
        return case
    for event in case.events:
        if event.type == "accepted" and CONCLUSION in bases:
            bases[CONCLUSION] = Basis.of(event.at, policy.conclusion)
        elif event.type == "extended" and event.data.get("stage") in bases:
            stage = str(event.data["stage"])
            bases[stage] = bases[stage]._replace(extra_days=bases[stage].extra_days + int(event.data.get("days", 0)))
        elif event.type == "resumed":
            for stage in DUTY_STAGES:
                if stage in bases:
                    paused = bases[stage].paused_seconds + float(event.data.get("paused_seconds", 0))
                    bases[stage] = bases[stage]._replace(paused_seconds=paused)
        elif event.type in _REQUESTS:
            stage = _REQUESTS[event.type]
            limit = policy.review_decision if stage == REVIEW_DECISION else policy.re_review_decision
            bases[stage] = Basis.of(event.at, limit)
    rebuilt = deadlines_from(bases, policy)
    calendar = policy.calendar
    kept = {stage: basis for stage, basis in bases.items() if stage in case.deadlines and (
        rebuilt[stage] == case.deadlines[stage]
        or calendar.provisional_between(local_date(case.occurred_at), local_date(case.deadlines[stage])))}
    return replace(case, deadline_basis=kept) if kept else case
