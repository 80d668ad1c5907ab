"""Statutory and service deadlines (限期办结), as data.

Anchors: 信访工作条例 2022 Art. 23 (acceptance decision within 15 days; objection to a
misrouting within 5 working days), Art. 34 (conclude within 60 days of acceptance, one
extension of at most 30 days), Arts. 35–36 (review and re-review: request within 30 days,
decision within 30 days); municipal 12345 practice for hotline handling by kind; a callback
(回访) within 5 working days of the reply.

Every deadline is kept with its *basis* (when its period starts, how long it is, and what
extensions and pauses added), so a calendar change can recompute it (`clock.recompute_deadlines`).

Handling time limits: the kind of the matter (consult 2, help/suggestion 10, complaint/report
15 working days) is the ceiling; a category limit an admin set (or a category an admin added)
can only tighten it — the tighter wins. A default catalogue limit applies only when the
petitioner's kind is unknown.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from models import workcalendar as wc
from models.categories import DEFAULT_CATALOGUE, Catalogue
from models.errors import DeadlineError

WORKING_DAYS, DAYS, HOURS = "working_days", "days", "hours"
FIRST_CONTACT, HANDLING = "first_contact", "handling"
ACCEPTANCE, CONCLUSION = "acceptance", "conclusion"
REVIEW_DECISION, RE_REVIEW_DECISION = "review_decision", "re_review_decision"
CALLBACK = "callback"
KINDS = ("consult", "help", "suggestion", "complaint", "report")
SOURCES = ("hotline", "contactcard", "diary", "reception")


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: str  # working_days | days | hours

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.replace('_', ' ')}"


@dataclass(frozen=True)
class DeadlinePolicy:
    first_contact: Limit = Limit(1, WORKING_DAYS)
    first_contact_urgent: Limit = Limit(2, HOURS)
    handling_by_kind: dict[str, Limit] = field(default_factory=lambda: {
        "consult": Limit(2, WORKING_DAYS), "help": Limit(10, WORKING_DAYS),
        "suggestion": Limit(10, WORKING_DAYS), "complaint": Limit(15, WORKING_DAYS),
        "report": Limit(15, WORKING_DAYS)})
    acceptance: Limit = Limit(15, DAYS)
    conclusion: Limit = Limit(60, DAYS)
    max_extension_days: int = 30
    max_extensions: int = 1
    objection: Limit = Limit(5, WORKING_DAYS)
    review_request: Limit = Limit(30, DAYS)
    review_decision: Limit = Limit(30, DAYS)
    re_review_request: Limit = Limit(30, DAYS)
    re_review_decision: Limit = Limit(30, DAYS)
    callback: Limit = Limit(5, WORKING_DAYS)
    # A calendar-day period whose last day is a holiday ends on the next working day,
    # as Chinese procedural law counts periods (期间届满日遇法定节假日顺延).
    roll_off_holidays: bool = True
    catalogue: Catalogue = DEFAULT_CATALOGUE
    calendar: wc.WorkCalendar = wc.LIBRARY_CALENDAR


DEFAULT_POLICY = DeadlinePolicy()


class Basis(NamedTuple):
    """What a stage's deadline is computed from (stored with the case, JSON-friendly).

    `start` is a moment, or the name of another stage whose due time starts this period
    (a reception's conclusion runs from the acceptance deadline until the actual acceptance)."""
    start: datetime | str
    amount: int
    unit: str
    extra_days: int = 0          # extensions (Art. 34), in calendar days
    paused_seconds: float = 0.0  # approved pauses move the clock
    cap: str | None = None       # a stage this one may not end after (first contact ≤ handling)

    @classmethod
    def of(cls, start: datetime | str, limit: Limit, cap: str | None = None) -> Basis:
        return cls(start, limit.amount, limit.unit, 0, 0.0, cap)

    @property
    def limit(self) -> Limit:
        return Limit(self.amount, self.unit)


def as_basis(raw: Any) -> Basis:
    """A stored basis (a plain tuple or list after a JSON round trip) as a `Basis`."""
    return raw if isinstance(raw, Basis) else Basis(*raw)


def due_after(start: datetime, limit: Limit, policy: DeadlinePolicy = DEFAULT_POLICY) -> datetime:
    wc.to_local(start)  # refuses naive timestamps with a readable error
    if limit.unit == WORKING_DAYS:
        return policy.calendar.add_working_days(start, limit.amount)
    if limit.unit == HOURS:
        return start + timedelta(hours=limit.amount)
    if limit.unit != DAYS:
        raise DeadlineError.of("deadline.unknown_unit", unit=limit.unit, expected=f"{WORKING_DAYS}, {DAYS}, {HOURS}")
    due = start + timedelta(days=limit.amount)
    return roll_to_working_day(due, policy.calendar) if policy.roll_off_holidays else due


def roll_to_working_day(moment: datetime, calendar: wc.WorkCalendar | None = None) -> datetime:
    local = wc.to_local(moment)
    day = (calendar or wc.LIBRARY_CALENDAR).next_working_day_on_or_after(local.date())
    return (local + timedelta(days=(day - local.date()).days)).astimezone(moment.tzinfo)


def kind_limit(kind: str, policy: DeadlinePolicy = DEFAULT_POLICY) -> Limit:
    if kind not in policy.handling_by_kind:
        raise DeadlineError.of("deadline.unknown_kind", kind=kind, expected=", ".join(policy.handling_by_kind))
    return policy.handling_by_kind[kind]


def handling_limit(kind: str | None, category: str | None, policy: DeadlinePolicy = DEFAULT_POLICY) -> Limit:
    """The kind's limit, tightened by the category's when an admin set that category's limit;
    the category's (default or admin-set) limit when the kind is unknown."""
    chosen = policy.catalogue.get(category)
    by_category = Limit(chosen.handling_working_days, WORKING_DAYS)
    if kind is None:
        return by_category
    by_kind = kind_limit(kind, policy)
    if policy.catalogue.governs(chosen.code) and by_kind.unit == WORKING_DAYS and by_category.amount < by_kind.amount:
        return by_category
    return by_kind


def bases_for_new_case(source: str, kind: str | None, urgency: str, occurred_at: datetime,
                       policy: DeadlinePolicy = DEFAULT_POLICY, *, category: str | None = None) -> dict[str, Basis]:
    """Stage name → basis for a new case, counted from when the petitioner spoke.

    hotline / contactcard: first_contact (urgent: 2 hours; never after handling) and handling
    (by kind and category). diary: handling only — the author already met the household.
    reception: acceptance (15 days) and a provisional conclusion (60 days after the latest
    lawful acceptance; `Accept` recomputes it from the actual acceptance)."""
    if urgency not in ("normal", "urgent"):
        raise DeadlineError.of("deadline.unknown_urgency", urgency=urgency, expected="normal, urgent")
    wc.to_local(occurred_at)
    if source == "reception":
        return {ACCEPTANCE: Basis.of(occurred_at, policy.acceptance), CONCLUSION: Basis.of(ACCEPTANCE, policy.conclusion)}
    if source not in SOURCES:
        raise DeadlineError.of("deadline.unknown_source", source=source, expected=", ".join(SOURCES))
    handling = Basis.of(occurred_at, handling_limit(kind, category, policy))
    if source == "diary":
        return {HANDLING: handling}
    contact = policy.first_contact_urgent if urgency == "urgent" else policy.first_contact
    return {FIRST_CONTACT: Basis.of(occurred_at, contact, cap=HANDLING), HANDLING: handling}


def deadlines_from(bases: Mapping[str, Any], policy: DeadlinePolicy = DEFAULT_POLICY) -> dict[str, datetime]:
    """Every stage's due time from its basis, on the policy's calendar."""
    resolved: dict[str, datetime] = {}
    for stage in bases:
        due_of_stage(stage, bases, policy, resolved)
    return resolved


def due_of_stage(stage: str, bases: Mapping[str, Any], policy: DeadlinePolicy,
                 resolved: dict[str, datetime] | None = None) -> datetime:
    resolved = {} if resolved is None else resolved
    if stage in resolved:
        return resolved[stage]
    basis = as_basis(bases[stage])
    start = basis.start if isinstance(basis.start, datetime) else due_of_stage(basis.start, bases, policy, resolved)
    due = due_after(start, basis.limit, policy) + timedelta(days=basis.extra_days, seconds=basis.paused_seconds)
    if basis.cap is not None and basis.cap in bases:
        due = min(due, due_of_stage(basis.cap, bases, policy, resolved))
    resolved[stage] = due
    return due


def deadlines_for_new_case(source: str, kind: str | None, urgency: str, occurred_at: datetime,
                           policy: DeadlinePolicy = DEFAULT_POLICY, *,
                           category: str | None = None) -> dict[str, datetime]:
    """Stage name → due time (see `bases_for_new_case`), on the policy's calendar and catalogue."""
    return deadlines_from(bases_for_new_case(source, kind, urgency, occurred_at, policy, category=category), policy)


def conclusion_due(accepted_at: datetime, policy: DeadlinePolicy = DEFAULT_POLICY) -> datetime:
    return due_after(accepted_at, policy.conclusion, policy)


def objection_due(assigned_at: datetime, policy: DeadlinePolicy = DEFAULT_POLICY) -> datetime:
    return due_after(assigned_at, policy.objection, policy)


def uses_fallback_calendar(occurred_at: datetime, deadlines: Mapping[str, datetime],
                           calendar: wc.WorkCalendar | None = None) -> bool:
    """True when some deadline was counted on a provisional year (no official schedule)."""
    return any(wc.uses_fallback(occurred_at, due, calendar) for due in deadlines.values())
