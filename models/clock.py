"""The case's running clock: which stage's deadline applies now, whether it is overdue,
whether its deadlines rest on a provisional calendar, and recomputing them after a
calendar change."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from models.case import Case, record
from models.deadlines import (
    ACCEPTANCE,
    CALLBACK,
    CONCLUSION,
    DEFAULT_POLICY,
    FIRST_CONTACT,
    HANDLING,
    RE_REVIEW_DECISION,
    REVIEW_DECISION,
    DeadlinePolicy,
    as_basis,
    deadlines_from,
)
from models.lifecycle import OPEN, STATUS_AFTER_EVENT
from models.lifecycle import CaseStatus as S
from models.workcalendar import WorkCalendar, local_date

_BEFORE_ACCEPTANCE = (S.REGISTERED, S.ASSIGNED, S.OBJECTED)
_WORKING = (S.ACCEPTED, S.IN_PROGRESS)
# Stages that pause and extensions move; first contact and acceptance are about reacting.
DUTY_STAGES = (HANDLING, CONCLUSION)


def current_stage(case: Case) -> str | None:
    """The stage whose deadline runs now; None when no clock runs (paused, done)."""
    if case.status in _BEFORE_ACCEPTANCE:
        return _first_present(case, (FIRST_CONTACT, ACCEPTANCE, HANDLING))
    if case.status in _WORKING:
        return _first_present(case, DUTY_STAGES)
    if case.status == S.REPLIED:
        return _first_present(case, (CALLBACK,))
    if case.status == S.UNDER_REVIEW:
        return REVIEW_DECISION
    if case.status == S.UNDER_RE_REVIEW:
        return RE_REVIEW_DECISION
    return None


def current_due(case: Case) -> datetime | None:
    stage = current_stage(case)
    return None if stage is None else case.deadlines.get(stage)


def stage_started_at(case: Case, stage: str) -> datetime:
    """When the stage's clock started: from acceptance for conclusion (Art. 34), from the reply
    for the callback, from the request for reviews, otherwise from when the petitioner spoke."""
    if stage == CONCLUSION and case.accepted_at is not None:
        return case.accepted_at
    if stage == CALLBACK and case.replied_at is not None:
        return case.replied_at
    if stage in (REVIEW_DECISION, RE_REVIEW_DECISION):
        start = _requested_at(case, stage)
        if start is not None:
            return start
        requested = [e.at for e in case.events if e.type == f"{stage.removesuffix('_decision')}_requested"]
        return requested[-1] if requested else case.occurred_at
    return case.occurred_at


def _requested_at(case: Case, stage: str) -> datetime | None:
    """A review's request time as its deadline basis keeps it (cases since issue 11)."""
    basis = case.deadline_basis.get(stage)
    start = as_basis(basis).start if basis is not None else None
    return start if isinstance(start, datetime) else None


def clock_needs_history(case: Case) -> bool:
    """Whether the running stage's start must be read from the case's history: a review whose
    request time its deadline basis does not keep (stored before issue 11). Otherwise the
    state alone times the stage, so the scheduler can judge a case loaded without its events."""
    stage = current_stage(case)
    return stage in (REVIEW_DECISION, RE_REVIEW_DECISION) and _requested_at(case, stage) is None


def overdue_at(due: datetime | None, now: datetime) -> bool:
    """A running deadline that has passed (the one definition; SQL filters `next_due_at < now`
    on the stored `current_due`)."""
    return due is not None and now > due


def is_overdue(case: Case, now: datetime) -> bool:
    return overdue_at(current_due(case), now)


def running_stages(case: Case) -> tuple[str, ...]:
    """The stages whose deadlines still matter: the current one and those not yet reached
    (none for a case that is no longer open)."""
    if case.status not in OPEN:
        return ()
    done: set[str] = set()
    if case.accepted_at is not None or case.status not in _BEFORE_ACCEPTANCE:
        done |= {FIRST_CONTACT, ACCEPTANCE}
    if case.status not in (*_BEFORE_ACCEPTANCE, *_WORKING, S.PAUSED):
        done |= set(DUTY_STAGES)
    if case.status != S.REPLIED:
        done.add(CALLBACK)
    if case.status != S.UNDER_REVIEW:
        done.add(REVIEW_DECISION)
    if case.status != S.UNDER_RE_REVIEW:
        done.add(RE_REVIEW_DECISION)
    return tuple(stage for stage in case.deadlines if stage not in done)


def deadlines_provisional(case: Case, calendar: WorkCalendar | None = None) -> bool:
    """True when a running deadline (or, for a case no longer open, any deadline) was counted
    across a year without an official schedule: what case views show as `deadlines_provisional`."""
    calendar = calendar or DEFAULT_POLICY.calendar
    stages = running_stages(case) or tuple(case.deadlines)
    start = local_date(case.occurred_at)
    return any(calendar.provisional_between(start, local_date(case.deadlines[s])) for s in stages)


def recompute_deadlines(case: Case, policy: DeadlinePolicy, at: datetime, reason: str,
                        actor: str | None = "system") -> Case:
    """The case with its running deadlines recomputed from their stored basis on the policy's
    calendar (after an official schedule or local holidays were imported), recorded as a
    `deadlines_recomputed` event with the reason and each change. Unchanged when nothing
    moves, when the case is no longer open, or for stages stored without a basis (cases
    opened before bases were kept: see `models.deadline_history.basis_from_history`)."""
    stages = [s for s in running_stages(case) if s in case.deadline_basis]
    if not stages:
        return case
    fresh = deadlines_from(case.deadline_basis, policy)
    changes = {s: (case.deadlines[s], fresh[s]) for s in stages if fresh[s] != case.deadlines[s]}
    if not changes:
        return case
    moved = replace(case, deadlines={**case.deadlines, **{s: new for s, (_, new) in changes.items()}},
                    warned_stages=case.warned_stages - {s for s, (old, new) in changes.items() if new > old})
    return record(moved, "deadlines_recomputed", at, actor, reason=reason,
                  changes={s: {"from": old.isoformat(), "to": new.isoformat()} for s, (old, new) in changes.items()})


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
