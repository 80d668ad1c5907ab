"""Escalation (限期办结, 逐级督办): an overdue stage climbs the chain, one level per grace
period, skipping anyone the conflict of interest excludes; a 75%-used stage earns a warning first.

Level L above the owner's own level is due once the stage is overdue and the grace periods
of the levels below have passed: overdue → +1; + grace(+1) → +2; … never above 3.
An overdue callback (回访) goes to the petition office first — the township's petition staff,
who stand at level 2 — and then on up the chain like any other stage.
A recipient who is away or on leave stays the one of record; their backup ring finds who
acts (the same rule as for new cases).
Pure: `now` is an argument, so a timer can call this as often as it likes.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from models import posts as P
from models import workcalendar as wc
from models.backups import acting_for
from models.case import Case
from models.chain import (
    LEVEL_NAMES,
    TOP_LEVEL,
    ChainPick,
    Recusal,
    Skip,
    chain_of,
    first_eligible,
    skipped_pairs,
)
from models.clock import current_due, current_stage, stage_started_at
from models.deadlines import CALLBACK
from models.reasons import Reason
from models.roster import Cadre, Roster
from models.standing import TOWNSHIP_STANDING


@dataclass(frozen=True)
class EscalationPolicy:
    # working days a level has to act before the case climbs past it
    grace_working_days: dict[int, int] = field(default_factory=lambda: {1: 1, 2: 1, 3: 1})
    warn_at_fraction: float = 0.75
    calendar: wc.WorkCalendar = wc.LIBRARY_CALENDAR


DEFAULT_ESCALATION = EscalationPolicy()


class Memo:
    """The judgement's pure parts, remembered across one scheduler batch (issue 12: a burst
    falls due together, so its cases share a handful of deadlines and villages).

    Bound to one policy (its calendar times the thresholds) and one roster (it names the
    chains): a batch reads both once, and the memo answers for no other — a roster or calendar
    change makes new objects, so it can never meet a stale answer. Create one per batch."""

    def __init__(self, policy: EscalationPolicy, roster: Roster | None = None) -> None:
        self.policy, self.roster = policy, roster
        self._thresholds: dict[tuple[datetime, int], datetime] = {}
        self._chains: dict[str, Mapping[int, Cadre]] = {}

    def threshold(self, due: datetime, climbed: int, policy: EscalationPolicy) -> datetime:
        if policy is not self.policy:
            return level_threshold(due, climbed, policy)
        key = (due, climbed)
        found = self._thresholds.get(key)
        if found is None:
            found = self._thresholds[key] = level_threshold(due, climbed, policy, self)
        return found

    def chain(self, roster: Roster, village_code: str) -> Mapping[int, Cadre]:
        if roster is not self.roster:
            return chain_of(roster, village_code)
        found = self._chains.get(village_code)
        if found is None:
            found = self._chains[village_code] = chain_of(roster, village_code)
        return found


@dataclass(frozen=True)
class EscalationStep:
    level: int  # the level the case should be at now (>= current, <= 3)
    recipient_cadre_id: str | None  # who receives it at that level, of record (None: no change)
    escalated: bool
    warning_due: bool
    skips: tuple[Skip, ...] = ()
    steps: tuple[Reason, ...] = ()
    acting_cadre_id: str | None = None  # the recipient's backup while the recipient is away
    stage: str | None = None

    @property
    def skipped(self) -> tuple[tuple[str, str], ...]:
        return skipped_pairs(self.skips)

    @property
    def explanation(self) -> tuple[str, ...]:
        return tuple(step.text for step in self.steps)


def level_threshold(due: datetime, climbed: int, policy: EscalationPolicy = DEFAULT_ESCALATION,
                    memo: Memo | None = None) -> datetime:
    """The moment past which one more level than `climbed` is owed: the deadline itself for the
    first, then one grace period (in working days) more for each level above it."""
    if climbed <= 0:
        return due
    below = (memo or Memo(policy)).threshold(due, climbed - 1, policy)
    return policy.calendar.add_working_days(below, policy.grace_working_days.get(climbed, 1))


def levels_due(due: datetime, now: datetime, policy: EscalationPolicy = DEFAULT_ESCALATION,
               memo: Memo | None = None) -> int:
    """How many levels above the owner the case should have climbed by `now`."""
    memo, steps = memo or Memo(policy), 0
    while steps < TOP_LEVEL and now > memo.threshold(due, steps, policy):
        steps += 1
    return steps


def escalation_base(owner_level: int, stage: str | None) -> int:
    """The level a stage's escalation counts from: the owner's, or for the callback at least 1,
    so its first climb reaches the petition office (level 2)."""
    return max(owner_level, 1) if stage == CALLBACK else owner_level


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
                    warned: bool = False, policy: EscalationPolicy = DEFAULT_ESCALATION,
                    stage: str | None = None, parties: tuple[str, ...] = (),
                    memo: Memo | None = None) -> EscalationStep:
    warn = not warned and warning_due(started, due, now, policy)
    climb = levels_due(due, now, policy, memo)
    target = min(TOP_LEVEL, max(current_level, escalation_base(owner_level, stage) + climb))
    if climb == 0 or target <= current_level:
        return EscalationStep(current_level, None, False, warn, stage=stage)
    skip = [owner_cadre_id or "", *parties]
    chain = memo.chain(roster, village_code) if memo is not None else None
    if stage == CALLBACK and target <= TOWNSHIP_STANDING:
        office = _petition_office(roster, recusal, skip)
        above = office if office.cadre is not None else first_eligible(
            roster, village_code, TOWNSHIP_STANDING + 1, recusal, also_skip=skip, chain=chain)
        pick = ChainPick(above.level, above.cadre, office.skips + (() if above is office else above.skips))
    else:
        pick = first_eligible(roster, village_code, target, recusal, also_skip=skip, chain=chain)
    if pick.cadre is None or pick.level is None:
        return EscalationStep(current_level, None, False, warn, pick.skips,
                              (Reason("escalation.nobody_above", {"due": due.isoformat(), "level": current_level}),),
                              stage=stage)
    steps = [Reason("escalation.overdue", {"due": due.isoformat(), "level": pick.level,
                                           "level_name": _level_name(pick, stage), "cadre_id": pick.cadre.cadre_id,
                                           "name": pick.cadre.name, "stage": stage or ""})]
    cover = acting_for(roster, pick.cadre.cadre_id, now, recusal)
    steps += cover.steps
    return EscalationStep(pick.level, pick.cadre.cadre_id, True, False, pick.skips + cover.skips, tuple(steps),
                          cover.acting_cadre_id if cover.covered else None, stage)


def _petition_office(roster: Roster, recusal: Recusal, skip: list[str]) -> ChainPick:
    """The township's petition staff, first not excluded and not a party, at level 2."""
    staff = [c for c in roster.cadres_of(roster.township().code) if P.PETITION_STAFF in c.posts]
    skips: list[Skip] = []
    for cadre in sorted(staff, key=lambda c: c.cadre_id):
        reason = recusal.exclusion(cadre.cadre_id, roster)
        if reason is None and cadre.cadre_id in skip:
            reason = Reason("chain.already_holds", {"cadre_id": cadre.cadre_id})
        if reason is None:
            return ChainPick(TOWNSHIP_STANDING, cadre, tuple(skips))
        skips.append(Skip(cadre.cadre_id, reason, TOWNSHIP_STANDING))
    return ChainPick(None, None, tuple(skips))


def _level_name(pick: ChainPick, stage: str | None) -> str:
    if stage == CALLBACK and pick.cadre is not None and P.PETITION_STAFF in pick.cadre.posts:
        return "petition office"
    return LEVEL_NAMES[pick.level or 0]


def escalation_for(case: Case, roster: Roster, now: datetime,
                   policy: EscalationPolicy = DEFAULT_ESCALATION, memo: Memo | None = None) -> EscalationStep:
    """The step for a stored case; no step when no clock runs (paused, closed, …). `memo`:
    the batch's (see `Memo`); the step is the same with or without it."""
    stage, due = current_stage(case), current_due(case)
    if stage is None or due is None:
        return EscalationStep(case.escalation_level, None, False, False)
    return escalation_step(due=due, started=stage_started_at(case, stage), now=now,
                           current_level=case.escalation_level, owner_level=case.owner_level,
                           village_code=case.village_code, owner_cadre_id=case.owner_cadre_id,
                           recusal=case.recusal, roster=roster, warned=stage in case.warned_stages, policy=policy,
                           stage=stage, parties=case.parties if stage == CALLBACK else (), memo=memo)
