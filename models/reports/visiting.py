"""Visiting days (走访天数): every two-committee member spends at least 7 days a month
visiting households, as the diary of people's feelings records (DOMAIN "Diary").

A visiting day is a distinct Beijing calendar day with at least one diary entry by the
member: several households on one day are one day; an entry written at 00:30 Beijing time
on the 1st belongs to the new month even though it is still the 31st in UTC. Holidays and
weekends count like any other day — the households were visited — and the requirement is
not reduced for them: the rule says days a month, not working days.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from models import posts as P
from models import workcalendar as wc
from models.reports.periods import Period
from models.reports.records import DiaryLine
from models.roster import Roster

REQUIRED_DAYS = 7
TWO_COMMITTEE_POSTS = frozenset({P.PARTY_SECRETARY, P.DEPUTY_SECRETARY, P.DIRECTOR, P.DEPUTY_DIRECTOR, P.MEMBER})


@dataclass(frozen=True)
class Member:
    cadre_id: str
    village_code: str


@dataclass(frozen=True)
class VisitingDays:
    cadre_id: str
    village_code: str
    month: str
    dates: tuple[date, ...]
    required: int

    @property
    def days(self) -> int:
        return len(self.dates)

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.days)


def two_committee_members(roster: Roster) -> tuple[Member, ...]:
    """The members of every village's two committees (村两委): those who owe visiting days."""
    return tuple(Member(c.cadre_id, c.unit_code) for c in roster.cadres
                 if TWO_COMMITTEE_POSTS & set(c.posts) and roster.unit(c.unit_code).kind == P.VILLAGE)


def visiting_days(month: Period, members: Iterable[Member], entries: Iterable[DiaryLine],
                  required: int = REQUIRED_DAYS) -> tuple[VisitingDays, ...]:
    """One row per member (none left out for having no entry), largest shortfall first."""
    days: dict[str, set[date]] = {}
    for entry in entries:
        day = wc.local_date(entry.occurred_at)
        if month.first_day <= day <= month.last_day:
            days.setdefault(entry.author_cadre_id, set()).add(day)
    rows = [VisitingDays(m.cadre_id, m.village_code, month.key, tuple(sorted(days.get(m.cadre_id, ()))), required)
            for m in dict.fromkeys(members)]
    return tuple(sorted(rows, key=lambda r: (-r.shortfall, r.village_code, r.cadre_id)))


def fulfilment(rows: Iterable[VisitingDays]) -> float | None:
    """The share of the required days that were visited (each member-month capped at its
    requirement, so one busy member cannot make up for an absent one); None without rows."""
    counted = [(min(r.days, r.required), r.required) for r in rows if r.required > 0]
    return None if not counted else sum(d for d, _ in counted) / sum(r for _, r in counted)
