"""Repeat petitions: the same person on the same matter links to the case already open.

"Same person": a shared phone or ID number. "Same matter": same village and category,
with the existing case opened within a configurable window. Art. 19: a matter already being
handled below is not accepted again above, so a reception visit on it links too. Art. 36:
after a concluded re-review the same matter on the same facts is not accepted again.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from models.case import Case
from models.errors import RepeatRejected
from models.lifecycle import OPEN, CaseStatus
from models.petitioners import Petitioner

NEW, LINKED, NOT_ACCEPTED = "new", "linked", "not_accepted"


@dataclass(frozen=True)
class PriorCase:
    """What repeat detection needs to know of an existing case."""
    case_id: str
    petitioner: Petitioner
    village_code: str
    category: str
    status: CaseStatus
    opened_at: datetime
    re_reviewed_at: datetime | None = None

    @classmethod
    def of(cls, case: Case, petitioner: Petitioner) -> "PriorCase":
        return cls(case.case_id, petitioner, case.village_code, case.category, case.status, case.occurred_at,
                   case.re_review_decided_at)


@dataclass(frozen=True)
class RepeatPolicy:
    window: timedelta = timedelta(days=90)


@dataclass(frozen=True)
class RepeatVerdict:
    outcome: str  # new | linked | not_accepted
    case_id: str | None
    reason: str

    def raise_if_not_accepted(self) -> "RepeatVerdict":
        if self.outcome == NOT_ACCEPTED:
            raise RepeatRejected(self.reason)
        return self


def check_repeat(petitioner: Petitioner, village_code: str, category: str, at: datetime,
                 prior: Iterable[PriorCase], policy: RepeatPolicy = RepeatPolicy()) -> RepeatVerdict:
    if not petitioner.keys():
        return RepeatVerdict(NEW, None, "anonymous or unidentified petitioner: treated as a new matter")
    same = [p for p in prior if p.petitioner.same_person(petitioner)
            and (p.village_code, p.category) == (village_code, category)]
    final = [p for p in same if p.status is CaseStatus.RE_REVIEWED]
    if final:
        done = max(final, key=lambda p: p.re_reviewed_at or p.opened_at)
        when = f" on {done.re_reviewed_at.date().isoformat()}" if done.re_reviewed_at else ""
        return RepeatVerdict(NOT_ACCEPTED, done.case_id,
                             f"the same matter ({category} in village {village_code}) concluded its re-review in "
                             f"case {done.case_id}{when}; under Art. 36 it is not accepted again on the same facts")
    open_now = [p for p in same if p.status in OPEN and timedelta(0) <= at - p.opened_at <= policy.window]
    if open_now:
        latest = max(open_now, key=lambda p: p.opened_at)
        return RepeatVerdict(LINKED, latest.case_id,
                             f"the same petitioner raised {category} in village {village_code} in case "
                             f"{latest.case_id}, still {latest.status}: linked, not counted as a new case")
    return RepeatVerdict(NEW, None, "no open case of this petitioner on this matter")
