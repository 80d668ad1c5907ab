"""When a case next needs the escalation scheduler's attention.

The scheduler keeps one indexed time per case (`next_check_at`) instead of scanning every
open case: the moment a 75% warning falls due, or the next level of the chain is owed.
Pure, like the escalation rules it mirrors (`models.escalation`).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from models.case import Case
from models.chain import TOP_LEVEL
from models.clock import current_due, current_stage, stage_started_at
from models.escalation import DEFAULT_ESCALATION, EscalationPolicy, Memo, escalation_base, warning_from

# The smallest step PostgreSQL's timestamptz can store.
_TICK = timedelta(microseconds=1)


def attention_times(case: Case, policy: EscalationPolicy = DEFAULT_ESCALATION, memo: Memo | None = None) -> list[datetime]:
    """Every moment something may be owed on the running stage: its warning and its next climb."""
    stage, due = current_stage(case), current_due(case)
    if stage is None or due is None:
        return []
    times = []
    if stage not in case.warned_stages:
        times.append(warning_from(stage_started_at(case, stage), due, policy))
    climb = _next_climb(due, case.escalation_level - escalation_base(case.owner_level, stage), policy, memo)
    if climb is not None and case.escalation_level < TOP_LEVEL:
        times.append(climb + _TICK)  # a level is owed once its threshold has *passed*
    return times


def next_attention(case: Case, after: datetime | None = None,
                   policy: EscalationPolicy = DEFAULT_ESCALATION, memo: Memo | None = None) -> datetime | None:
    """The earliest such moment (strictly after `after`, when given: what was owed up to
    then has just been dealt with, or could not be); None when no clock runs."""
    times = [t for t in attention_times(case, policy, memo) if after is None or t > after]
    return min(times) if times else None


def _next_climb(due: datetime, climbed: int, policy: EscalationPolicy, memo: Memo | None) -> datetime | None:
    """The moment the case owes one more level than the `climbed` it has: level 1 above the
    owner at the deadline, each further level one grace period later."""
    if climbed >= TOP_LEVEL:
        return None
    climbed = max(climbed, 0)
    return (memo or Memo(policy)).threshold(due, climbed, policy)
