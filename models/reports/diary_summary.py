"""The bi-monthly diary summary of a village (两月一汇总): every two months the two-committee
members go through their diaries together — the problems, difficulties and hopes they
heard, by category and household, what was resolved on the spot and what became a case —
propose solutions, and the village party branch secretary submits it to the township.

Periods are January–February (YYYY-B1) … November–December (YYYY-B6). A summary is due by
the end of the fifth working day after its period; the township sees who has not submitted.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from models import workcalendar as wc
from models.errors import DomainError
from models.reports.periods import Period, midnight
from models.reports.records import DiaryLine
from models.reports.visiting import TWO_COMMITTEE_POSTS
from models.roster import Roster

SUBMISSION_WORKING_DAYS = 5
DRAFT, SUBMITTED = "draft", "submitted"
# where a village stands for a period
ON_TIME, LATE, MISSING, PENDING = "on_time", "late", "missing", "pending"


@dataclass(frozen=True)
class Group:
    """The entries sharing a category (or a household), what they said and what became of it."""
    key: str
    entries: tuple[DiaryLine, ...]

    @property
    def households(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.household for e in self.entries))

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.category for e in self.entries))

    @property
    def problems(self) -> tuple[str, ...]:
        return _said(self.entries, "problems")

    @property
    def difficulties(self) -> tuple[str, ...]:
        return _said(self.entries, "difficulties")

    @property
    def hopes(self) -> tuple[str, ...]:
        return _said(self.entries, "hopes")

    @property
    def resolved_on_spot(self) -> tuple[DiaryLine, ...]:
        return tuple(e for e in self.entries if e.resolved_on_spot)

    @property
    def became_cases(self) -> tuple[DiaryLine, ...]:
        return tuple(e for e in self.entries if e.became_case)

    @property
    def needs_proposal(self) -> bool:
        """Something heard is still unresolved: the members owe a proposed solution."""
        return any(not e.resolved_on_spot for e in self.entries)


@dataclass(frozen=True)
class DiaryDigest:
    village_code: str
    period: str
    by_category: tuple[Group, ...]
    by_household: tuple[Group, ...]

    @property
    def entries(self) -> int:
        return sum(len(g.entries) for g in self.by_category)


def digest_diaries(village_code: str, period: Period, entries: Iterable[DiaryLine]) -> DiaryDigest:
    """The village's entries of the period, grouped; biggest groups first."""
    mine = sorted((e for e in entries if e.village_code == village_code and period.contains(e.occurred_at)),
                  key=lambda e: (e.occurred_at, e.entry_id))
    return DiaryDigest(village_code, period.key, _groups(mine, lambda e: e.category),
                       _groups(mine, lambda e: e.household))


@dataclass(frozen=True)
class SummaryEvent:
    type: str
    at: datetime
    actor: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DiarySummary:
    village_code: str
    period: str
    status: str = DRAFT
    proposals: Mapping[str, str] = field(default_factory=dict)  # category -> proposed solution
    submitted_by: str | None = None
    submitted_at: datetime | None = None
    digest: DiaryDigest | None = None  # what was submitted, as it stood then
    events: tuple[SummaryEvent, ...] = ()


def propose(summary: DiarySummary, category: str, solution: str, *, actor: str, at: datetime,
            roster: Roster) -> DiarySummary:
    """Any member of the village's two committees writes (or rewrites) a category's proposal."""
    _draft(summary)
    cadre = roster.cadre(actor) if roster.has_cadre(actor) else None
    member = (cadre is not None and cadre.unit_code == summary.village_code
              and bool(TWO_COMMITTEE_POSTS & set(cadre.posts)))
    _require(member,
             f"only a two-committee member of village {summary.village_code} proposes solutions; {actor} is not one",
             "diary_summary.not_member", cadre=actor, village=summary.village_code)
    text = (solution or "").strip()
    _require(bool(text), f"the proposed solution for {category} must not be empty", "diary_summary.empty_proposal",
             category=category)
    event = SummaryEvent("proposed", wc.to_local(at), actor, {"category": category, "solution": text})
    return replace(summary, proposals={**summary.proposals, category: text}, events=summary.events + (event,))


def submit(summary: DiarySummary, digest: DiaryDigest, period: Period, *, actor: str, at: datetime,
           roster: Roster) -> DiarySummary:
    """The branch secretary submits, once the period's last day has come, with a proposal for
    every category that still has something unresolved."""
    _draft(summary)
    _require((digest.village_code, digest.period, period.key) == (summary.village_code, summary.period, summary.period),
             f"the digest of {digest.village_code} {digest.period} does not belong to the summary of "
             f"{summary.village_code} {summary.period}", "diary_summary.wrong_digest", village=summary.village_code,
             period=summary.period)
    _require(roster.branch_secretary(summary.village_code).cadre_id == actor,
             f"only the party branch secretary of village {summary.village_code} submits its diary summary; "
             f"{actor} is not", "diary_summary.not_secretary", cadre=actor, village=summary.village_code)
    _require(wc.local_date(at) >= period.last_day,
             f"the summary of {period.key} can be submitted from {period.last_day.isoformat()} on",
             "diary_summary.too_early", period=period.key, first_day=period.last_day.isoformat())
    missing = [g.key for g in digest.by_category if g.needs_proposal and not summary.proposals.get(g.key)]
    _require(not missing, f"propose a solution for {', '.join(missing)} before submitting",
             "diary_summary.proposals_missing", categories=", ".join(missing))
    event = SummaryEvent("submitted", wc.to_local(at), actor, {"entries": digest.entries})
    return replace(summary, status=SUBMITTED, submitted_by=actor, submitted_at=at, digest=digest,
                   events=summary.events + (event,))


def submission_due(period: Period, working_days: int = SUBMISSION_WORKING_DAYS) -> datetime:
    """The end of the `working_days`-th working day after the period."""
    last = wc.add_working_days(midnight(period.last_day), working_days)
    return midnight(wc.local_date(last) + timedelta(days=1))


def submission_status(summary: DiarySummary | None, period: Period, now: datetime,
                      working_days: int = SUBMISSION_WORKING_DAYS) -> str:
    due = submission_due(period, working_days)
    if summary is not None and summary.status == SUBMITTED and summary.submitted_at is not None:
        return ON_TIME if summary.submitted_at < due else LATE
    return MISSING if now >= due else PENDING


@dataclass(frozen=True)
class Outstanding:
    village_code: str
    period: str
    status: str  # pending (not yet due) | missing (past due)
    due: datetime


def not_submitted(village_codes: Iterable[str], summaries: Iterable[DiarySummary], period: Period, now: datetime,
                  working_days: int = SUBMISSION_WORKING_DAYS) -> tuple[Outstanding, ...]:
    """The villages whose summary of `period` the township has not received, overdue first."""
    by_village = {s.village_code: s for s in summaries if s.period == period.key}
    due = submission_due(period, working_days)
    rows = [Outstanding(code, period.key, status, due) for code in dict.fromkeys(village_codes)
            if (status := submission_status(by_village.get(code), period, now, working_days)) in (MISSING, PENDING)]
    return tuple(sorted(rows, key=lambda r: (r.status != MISSING, r.village_code)))


def _groups(entries: list[DiaryLine], key: Any) -> tuple[Group, ...]:
    grouped: dict[str, list[DiaryLine]] = {}
    for entry in entries:
        grouped.setdefault(key(entry), []).append(entry)
    return tuple(sorted((Group(k, tuple(v)) for k, v in grouped.items()), key=lambda g: (-len(g.entries), g.key)))


def _said(entries: Iterable[DiaryLine], what: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text.strip() for e in entries if (text := getattr(e, what)) and text.strip()))


def _draft(summary: DiarySummary) -> None:
    _require(summary.status == DRAFT, f"the diary summary of {summary.village_code} for {summary.period} was already "
             "submitted", "diary_summary.already_submitted", village=summary.village_code, period=summary.period)


def _require(condition: bool, message: str, code: str, **params: Any) -> None:
    if not condition:
        raise DomainError(message, code=code, params=params)
