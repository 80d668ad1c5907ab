"""The statutory clock's calendar (CONTRACT "Calendar"): import the State Council's official
holiday schedule for a year, or the deployment's local days, and see a year with where each
day came from. An import governs new deadlines at once and recomputes the running deadlines
of every open case, each change recorded as a case event with the reason."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from infra.services.acting import allowed
from infra.services.errors import Invalid
from infra.services.policy import policy_in_force
from infra.services.ports import UnitOfWork
from models.access import Actor, Capability
from models.case import Case
from models.clock import recompute_deadlines
from models.deadline_history import basis_from_history
from models.deadlines import DeadlinePolicy
from models.escalation import EscalationPolicy
from models.errors import DomainError
from models.workcalendar import Schedule, local_date

RECOMPUTE_BATCH = 500
LOOKAHEAD = timedelta(days=60)  # warn when the coming 60 days have no official schedule


@dataclass(frozen=True)
class ImportCalendar:
    actor: Actor
    document: Mapping[str, Any]   # {"year", "kind": official|local, "source", "holidays": [...], "workdays": [...]}


@dataclass(frozen=True)
class ShowCalendar:
    year: int


@dataclass(frozen=True)
class CalendarOutlook:
    """Whether the statutory clock runs on official schedules for the coming days."""


async def import_calendar(cmd: ImportCalendar, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.ADMINISTER))
    try:
        schedule = Schedule.from_contract(cmd.document)
    except DomainError as error:
        raise Invalid(str(error.params.get("field", "document")), str(error), code=error.code,
                      params=error.params) from None
    document = schedule.to_contract()
    await uow.calendars.put(document, uow.now)
    catalogue, _ = await uow.catalogues.current()
    policy = policy_in_force(uow.policy, catalogue, await uow.calendars.all())
    reason = f"{schedule.kind} holiday schedule for {schedule.year} imported ({schedule.source})"
    recomputed = await _recompute_open_cases(uow, policy, reason)
    await uow.audit.record(at=uow.now, who=cmd.actor, action="calendar_import", year=schedule.year,
                           kind=schedule.kind, source=schedule.source, recomputed=recomputed)
    await uow.commit()
    uow.reference_changed()
    return {"year": schedule.year, "kind": schedule.kind, "recomputed_cases": recomputed,
            "provisional": policy.calendar.provisional(schedule.year)}


async def _recompute_open_cases(uow: UnitOfWork, policy: DeadlinePolicy, reason: str) -> int:
    ids, changed = await uow.cases.open_ids(), 0
    for start in range(0, len(ids), RECOMPUTE_BATCH):
        loaded = await uow.cases.get_many(ids[start:start + RECOMPUTE_BATCH])
        changes: list[tuple[Case, Case]] = []
        for before in loaded.values():
            after = recompute_deadlines(basis_from_history(before, policy), policy, uow.now, reason)
            if after.version != before.version:
                changes.append((before, after))
        await uow.cases.save_many(changes, policy=EscalationPolicy(calendar=policy.calendar))
        changed += len(changes)
    return changed


async def show_calendar(cmd: ShowCalendar, uow: UnitOfWork) -> dict[str, Any]:
    calendar = uow.policy.calendar
    return {"year": cmd.year, "provisional": calendar.provisional(cmd.year),
            "days": [d.to_dict() for d in calendar.days(cmd.year)]}


async def calendar_outlook(cmd: CalendarOutlook, uow: UnitOfWork) -> dict[str, Any]:
    today = local_date(uow.now)
    calendar = uow.policy.calendar
    provisional = sorted({y for y in (today.year, (today + LOOKAHEAD).year) if calendar.provisional(y)})
    return {"provisional_ahead": bool(provisional), "provisional_years": provisional,
            "until": (today + LOOKAHEAD).isoformat()}
