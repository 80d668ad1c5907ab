"""Statutory and service deadlines (限期办结), as data.

Anchors: 信访工作条例 2022 Art. 23 (acceptance decision within 15 days; objection to a
misrouting within 5 working days), Art. 34 (conclude within 60 days of acceptance, one
extension of at most 30 days), Arts. 35–36 (review and re-review: request within 30 days,
decision within 30 days); municipal 12345 practice for hotline handling by kind.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from models import workcalendar as wc
from models.categories import DEFAULT_CATALOGUE, Catalogue
from models.errors import DeadlineError

WORKING_DAYS, DAYS, HOURS = "working_days", "days", "hours"
FIRST_CONTACT, HANDLING = "first_contact", "handling"
ACCEPTANCE, CONCLUSION = "acceptance", "conclusion"
REVIEW_DECISION, RE_REVIEW_DECISION = "review_decision", "re_review_decision"
KINDS = ("consult", "help", "suggestion", "complaint", "report")


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
    # A calendar-day period whose last day is a holiday ends on the next working day,
    # as Chinese procedural law counts periods (期间届满日遇法定节假日顺延).
    roll_off_holidays: bool = True
    catalogue: Catalogue = DEFAULT_CATALOGUE


DEFAULT_POLICY = DeadlinePolicy()


def due_after(start: datetime, limit: Limit, policy: DeadlinePolicy = DEFAULT_POLICY) -> datetime:
    wc.to_local(start)  # refuses naive timestamps with a readable error
    if limit.unit == WORKING_DAYS:
        return wc.add_working_days(start, limit.amount)
    if limit.unit == HOURS:
        return start + timedelta(hours=limit.amount)
    if limit.unit != DAYS:
        raise DeadlineError(f"unknown time-limit unit {limit.unit!r}")
    due = start + timedelta(days=limit.amount)
    return roll_to_working_day(due) if policy.roll_off_holidays else due


def roll_to_working_day(moment: datetime) -> datetime:
    local = wc.to_local(moment)
    day = wc.next_working_day_on_or_after(local.date())
    return (local + timedelta(days=(day - local.date()).days)).astimezone(moment.tzinfo)


def handling_limit(kind: str | None, category: str | None, policy: DeadlinePolicy = DEFAULT_POLICY) -> Limit:
    """By kind when the petitioner's kind is known, else the category's default limit."""
    if kind is not None:
        if kind not in policy.handling_by_kind:
            raise DeadlineError(f"unknown kind {kind!r}: expected one of {', '.join(policy.handling_by_kind)}")
        return policy.handling_by_kind[kind]
    return Limit(policy.catalogue.get(category).handling_working_days, WORKING_DAYS)


def deadlines_for_new_case(source: str, kind: str | None, urgency: str, occurred_at: datetime,
                           policy: DeadlinePolicy = DEFAULT_POLICY, *,
                           category: str | None = None) -> dict[str, datetime]:
    """Stage name → due time, counted from when the petitioner spoke.

    hotline / contactcard: first_contact (urgent: 2 hours) and handling (by kind, else by
    category). diary: handling only — the author already met the household. reception:
    acceptance (15 days) and a provisional conclusion (60 days after the latest lawful
    acceptance; `conclusion_due` recomputes it from the actual acceptance).
    """
    if urgency not in ("normal", "urgent"):
        raise DeadlineError(f"unknown urgency {urgency!r}: expected normal or urgent")
    if source == "reception":
        acceptance = due_after(occurred_at, policy.acceptance, policy)
        return {ACCEPTANCE: acceptance, CONCLUSION: conclusion_due(acceptance, policy)}
    if source not in ("hotline", "contactcard", "diary"):
        raise DeadlineError(f"unknown source {source!r}")
    handling = due_after(occurred_at, handling_limit(kind, category, policy), policy)
    if source == "diary":
        return {HANDLING: handling}
    contact = policy.first_contact_urgent if urgency == "urgent" else policy.first_contact
    return {FIRST_CONTACT: min(due_after(occurred_at, contact, policy), handling), HANDLING: handling}


def conclusion_due(accepted_at: datetime, policy: DeadlinePolicy = DEFAULT_POLICY) -> datetime:
    return due_after(accepted_at, policy.conclusion, policy)


def objection_due(assigned_at: datetime, policy: DeadlinePolicy = DEFAULT_POLICY) -> datetime:
    return due_after(assigned_at, policy.objection, policy)


def uses_fallback_calendar(occurred_at: datetime, deadlines: dict[str, datetime]) -> bool:
    """True when some deadline was counted with the weekends-only fallback calendar."""
    return any(wc.uses_fallback(occurred_at, due) for due in deadlines.values())
