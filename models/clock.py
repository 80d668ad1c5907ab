"""The case's running clock: which stage's deadline applies now, and whether it is overdue."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from models.case import Case
from models.deadlines import (ACCEPTANCE, CONCLUSION, FIRST_CONTACT, HANDLING, RE_REVIEW_DECISION,
                              REVIEW_DECISION)
from models.lifecycle import STATUS_AFTER_EVENT
from models.lifecycle import CaseStatus as S

_BEFORE_ACCEPTANCE = (S.REGISTERED, S.ASSIGNED, S.OBJECTED)
_WORKING = (S.ACCEPTED, S.IN_PROGRESS)
# Stages that pause and extensions move; first contact and acceptance are about reacting.
DUTY_STAGES = (HANDLING, CONCLUSION)


def current_stage(case: Case) -> str | None:
    """The stage whose deadline runs now; None when no clock runs (paused, replied, done)."""
    if case.status in _BEFORE_ACCEPTANCE:
        return _first_present(case, (FIRST_CONTACT, ACCEPTANCE, HANDLING))
    if case.status in _WORKING:
        return _first_present(case, DUTY_STAGES)
    if case.status == S.UNDER_REVIEW:
        return REVIEW_DECISION
    if case.status == S.UNDER_RE_REVIEW:
        return RE_REVIEW_DECISION
    return None


def current_due(case: Case) -> datetime | None:
    stage = current_stage(case)
    return None if stage is None else case.deadlines.get(stage)


def stage_started_at(case: Case, stage: str) -> datetime:
    """When the stage's clock started: from acceptance for conclusion (Art. 34), from the
    request for reviews, otherwise from when the petitioner spoke."""
    if stage == CONCLUSION and case.accepted_at is not None:
        return case.accepted_at
    if stage in (REVIEW_DECISION, RE_REVIEW_DECISION):
        requested = [e.at for e in case.events if e.type == f"{stage.removesuffix('_decision')}_requested"]
        return requested[-1] if requested else case.occurred_at
    return case.occurred_at


def overdue_at(due: datetime | None, now: datetime) -> bool:
    """A running deadline that has passed (the one definition; SQL filters `next_due_at < now`
    on the stored `current_due`)."""
    return due is not None and now > due


def is_overdue(case: Case, now: datetime) -> bool:
    return overdue_at(current_due(case), now)


def _first_present(case: Case, stages: tuple[str, ...]) -> str | None:
    return next((s for s in stages if s in case.deadlines), None)


def status_at(case: Case, moment: datetime) -> S | None:
    """The state the case was in at `moment`, from its history (None: not yet received)."""
    if case.occurred_at > moment:
        return None
    status: S | None = None
    for event in case.events:
        if event.at > moment:
            break
        status = STATUS_AFTER_EVENT.get(event.type, status)
    return status or S.REGISTERED


def was_overdue_at(case: Case, moment: datetime) -> bool:
    """Overdue at a past moment: the stage running then had passed its deadline (today's
    deadlines: a later extension is taken as always granted)."""
    status = status_at(case, moment)
    return status is not None and overdue_at(current_due(replace(case, status=status)), moment)
