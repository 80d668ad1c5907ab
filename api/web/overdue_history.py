"""How many cases were overdue at the end of each day, rebuilt from each case's deadlines
and timeline: a case is overdue at a moment when it had been received, was not answered
(replied, resolved or closed, and not reopened since) and the deadline of its running stage
had passed — first contact and acceptance before it was accepted, handling and conclusion
after. Pure: the caller hands in the cases and the moments."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

ANSWERED = frozenset({"replied", "resolved", "closed"})
_BEFORE_ACCEPTANCE = ("first_contact", "acceptance", "handling")
_AFTER_ACCEPTANCE = ("handling", "conclusion")


@dataclass(frozen=True)
class CaseClock:
    key: str  # the village code or cadre id the case counts for
    occurred_at: datetime
    deadlines: dict[str, datetime]
    events: tuple[tuple[str, datetime], ...]  # (type, at) in order


def overdue_at(case: CaseClock, moment: datetime) -> bool:
    if case.occurred_at > moment:
        return False
    answered, accepted = False, False
    for kind, at in case.events:
        if at > moment:
            break
        if kind in ANSWERED:
            answered = True
        elif kind == "reopened":
            answered = False
        elif kind == "accepted":
            accepted = True
    if answered:
        return False
    stages = _AFTER_ACCEPTANCE if accepted else _BEFORE_ACCEPTANCE
    due = next((case.deadlines[s] for s in stages if s in case.deadlines), None)
    return due is not None and moment > due


def day_ends(today: date, days: int, zone: tzinfo, now: datetime) -> list[tuple[date, datetime]]:
    """The last `days` local days up to today; today's moment is now, not midnight."""
    ends = []
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        end = datetime.combine(day + timedelta(days=1), time(0), zone)
        ends.append((day, min(end, now)))
    return ends


def overdue_series(cases: Sequence[CaseClock], moments: Sequence[datetime]) -> dict[str, list[int]]:
    series: dict[str, list[int]] = defaultdict(lambda: [0] * len(moments))
    for case in cases:
        for i, moment in enumerate(moments):
            if overdue_at(case, moment):
                series[case.key][i] += 1
    return dict(series)
