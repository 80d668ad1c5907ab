"""Escalation (限期办结, 逐级督办): an overdue stage climbs the chain, one level per grace
period, skipping anyone recused; a 75%-used stage earns a warning first.

Level L above the owner's own level is due once the stage is overdue and the grace periods
of the levels below have passed: overdue → +1; + grace(+1) → +2; … never above 3.
Pure: `now` is an argument, so a timer can call this as often as it likes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from models import workcalendar as wc
from models.case import Case
from models.chain import LEVEL_NAMES, TOP_LEVEL, Recusal, first_eligible
from models.clock import current_due, current_stage, stage_started_at
from models.roster import Roster


@dataclass(frozen=True)
class EscalationPolicy:
    # working days a level has to act before the case climbs past it
    grace_working_days: dict[int, int] = field(default_factory=lambda: {1: 1, 2: 1, 3: 1})
    warn_at_fraction: float = 0.75


DEFAULT_ESCALATION = EscalationPolicy()


@dataclass(frozen=True)
class EscalationStep:
    level: int  # the level the case should be at now (>= current, <= 3)
    recipient_cadre_id: str | None  # who receives it at that level (None: no change)
    escalated: bool
    warning_due: bool
    skipped: tuple[tuple[str, str], ...] = ()
    explanation: tuple[str, ...] = ()


def levels_due(due: datetime, now: datetime, policy: EscalationPolicy = DEFAULT_ESCALATION) -> int:
    """How many levels above the owner the case should have climbed by `now`."""
    steps, threshold = 0, due
    while now > threshold and steps < TOP_LEVEL:
        steps += 1
        threshold = wc.add_working_days(threshold, policy.grace_working_days.get(steps, 1))
    return steps


def warning_from(started: datetime, due: datetime, policy: EscalationPolicy = DEFAULT_ESCALATION) -> datetime:
    """When a stage has used three quarters of its time: its warning is owed from then on."""
    return started + (due - started) * policy.warn_at_fraction


def warning_due(started: datetime, due: datetime, now: datetime, policy: EscalationPolicy = DEFAULT_ESCALATION) -> bool:
    return warning_from(started, due, policy) <= now <= due


def running_warning_from(case: Case, policy: EscalationPolicy = DEFAULT_ESCALATION) -> datetime | None:
    """When the running stage's warning period starts; None when no clock runs."""
    stage, due = current_stage(case), current_due(case)
    if stage is None or due is None:
        return None
    return warning_from(stage_started_at(case, stage), due, policy)


def escalation_step(*, due: datetime, started: datetime, now: datetime, current_level: int, owner_level: int,
                    village_code: str, owner_cadre_id: str | None, recusal: Recusal, roster: Roster,
                    warned: bool = False, policy: EscalationPolicy = DEFAULT_ESCALATION) -> EscalationStep:
    warn = not warned and warning_due(started, due, now, policy)
    target = min(TOP_LEVEL, max(current_level, owner_level + levels_due(due, now, policy)))
    if target <= current_level:
        return EscalationStep(current_level, None, False, warn)
    pick = first_eligible(roster, village_code, target, recusal, also_skip=[owner_cadre_id or ""])
    if pick.cadre is None or pick.level is None:
        return EscalationStep(current_level, None, False, warn, pick.skipped,
                              (f"overdue since {due.isoformat()}, but nobody eligible remains above level "
                               f"{current_level}; the county must be told",))
    why = (f"stage overdue since {due.isoformat()}: level {pick.level} ({LEVEL_NAMES[pick.level]}) "
           f"{pick.cadre.cadre_id} ({pick.cadre.name}) supervises it now")
    return EscalationStep(pick.level, pick.cadre.cadre_id, True, False, pick.skipped, (why,))


def escalation_for(case: Case, roster: Roster, now: datetime,
                   policy: EscalationPolicy = DEFAULT_ESCALATION) -> EscalationStep:
    """The step for a stored case; no step when no clock runs (paused, replied, closed)."""
    stage, due = current_stage(case), current_due(case)
    if stage is None or due is None:
        return EscalationStep(case.escalation_level, None, False, False)
    return escalation_step(due=due, started=stage_started_at(case, stage), now=now,
                           current_level=case.escalation_level, owner_level=case.owner_level,
                           village_code=case.village_code, owner_cadre_id=case.owner_cadre_id,
                           recusal=case.recusal, roster=roster, warned=stage in case.warned_stages, policy=policy)
