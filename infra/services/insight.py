"""What leaders watch: the three rates by village or cadre, overdue cases day by day, and
the Monday/Thursday joint-meeting report — over the cases in the leader's scope, so a case
hidden from them by confidentiality counts for nothing here."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from infra.services.acting import allowed, scope_of
from infra.services.errors import Invalid
from infra.services.ports import CaseFilter, UnitOfWork
from models.access import Actor, Capability
from models.case import Case
from models.clock import was_overdue_at
from models.rates import three_rates

TIME_ZONE = ZoneInfo("Asia/Shanghai")
MEETING_WEEKDAYS = (0, 3)  # Monday, Thursday
By = Literal["village", "cadre"]


@dataclass(frozen=True)
class Rates:
    actor: Actor
    start: datetime
    end: datetime
    by: By = "village"


@dataclass(frozen=True)
class RecentRates:
    """The rates over the last `days` days up to now."""
    actor: Actor
    days: int
    by: By = "village"


@dataclass(frozen=True)
class OverdueHistory:
    """Overdue cases at the end of each of the last `days` days, by village or owner."""
    actor: Actor
    by: By = "village"
    days: int = 14


@dataclass(frozen=True)
class MeetingReport:
    actor: Actor
    since: date | None = None   # default: the last meeting day


def _key(case: Case, by: By) -> str:
    return (case.village_code if by == "village" else case.owner_cadre_id) or ""


async def rates(cmd: Rates, uow: UnitOfWork) -> list[dict[str, Any]]:
    allowed(lambda: cmd.actor.require(Capability.SEE_RATES))
    if cmd.end <= cmd.start:
        raise Invalid("end", "must be after start", code="rates.end_before_start", where="query")
    if not 1900 <= cmd.start.year <= cmd.end.year <= 2200:
        raise Invalid("start", "the years must be between 1900 and 2200", code="rates.years", where="query")
    if (cmd.end - cmd.start).days > 366:
        raise Invalid("end", "a period is at most 366 days", code="rates.too_long", where="query")
    relevant = CaseFilter(occurred_until=cmd.end, touched_since=cmd.start)
    loaded = await uow.reads.aggregates(scope_of(uow, cmd.actor), relevant)
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in loaded.values():
        groups[_key(case, cmd.by)].append(case)
    rows = []
    for key in sorted(groups):
        three = three_rates(groups[key], cmd.start, cmd.end)
        rows.append({"key": key, "cases": len(groups[key]), "response": three.response,
                     "resolution": three.resolution, "satisfaction": three.satisfaction})
    return rows


async def recent_rates(cmd: RecentRates, uow: UnitOfWork) -> list[dict[str, Any]]:
    return await rates(Rates(cmd.actor, uow.now - timedelta(days=cmd.days), uow.now, cmd.by), uow)


def day_ends(today: date, days: int, now: datetime) -> list[tuple[date, datetime]]:
    """The last `days` local days up to today; today's moment is now, not midnight."""
    ends = []
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        ends.append((day, min(datetime.combine(day + timedelta(days=1), time(0), TIME_ZONE), now)))
    return ends


async def overdue_history(cmd: OverdueHistory, uow: UnitOfWork) -> tuple[list[date], dict[str, list[int]]]:
    allowed(lambda: cmd.actor.require(Capability.SEE_RATES))
    ends = day_ends(uow.now.astimezone(TIME_ZONE).date(), cmd.days, uow.now)
    since = ends[0][1] - timedelta(days=1)
    relevant = CaseFilter(occurred_until=uow.now, open_or_updated_since=since)
    loaded = await uow.reads.aggregates(scope_of(uow, cmd.actor), relevant)
    return [day for day, _ in ends], _series(list(loaded.values()), [moment for _, moment in ends], cmd.by)


def _series(cases: Sequence[Case], moments: Sequence[datetime], by: By) -> dict[str, list[int]]:
    series: dict[str, list[int]] = defaultdict(lambda: [0] * len(moments))
    for case in cases:
        for i, moment in enumerate(moments):
            if was_overdue_at(case, moment):
                series[_key(case, by)][i] += 1
    return dict(series)


def previous_meeting(today: date) -> date:
    """The last meeting day strictly before today."""
    day = today - timedelta(days=1)
    while day.weekday() not in MEETING_WEEKDAYS:
        day -= timedelta(days=1)
    return day


def next_meeting(today: date) -> date:
    """Today when today is a meeting day, else the next one."""
    day = today
    while day.weekday() not in MEETING_WEEKDAYS:
        day += timedelta(days=1)
    return day


async def meeting_report(cmd: MeetingReport, uow: UnitOfWork, top: int = 5) -> dict[str, Any]:
    """New, closed, overdue and escalated cases since the last meeting, by village, with the
    top categories of the new ones."""
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    scope, now = scope_of(uow, cmd.actor), uow.now
    today = now.astimezone(TIME_ZONE).date()
    start = datetime.combine(cmd.since or previous_meeting(today), time(0), TIME_ZONE)
    new = await uow.reads.count_by(scope, CaseFilter(occurred_from=start), now, "village_code")
    overdue = await uow.reads.count_by(scope, CaseFilter(overdue=True), now, "village_code")
    categories = await uow.reads.count_by(scope, CaseFilter(occurred_from=start), now, "category")
    closed = _distinct_by_village(await uow.reads.events_of(scope, CaseFilter(), ("resolved", "closed"), start))
    escalated = _distinct_by_village(await uow.reads.events_of(scope, CaseFilter(), ("escalated",), start))
    counted = (new, closed, overdue, escalated)
    rows = [{"village_code": v.code, "name": v.name, "new": new.get(v.code, 0), "closed": closed.get(v.code, 0),
             "overdue": overdue.get(v.code, 0), "escalated": escalated.get(v.code, 0)}
            for v in uow.roster.villages()
            if scope.township or v.code in scope.village_codes or any(v.code in d for d in counted)]
    catalogue, _ = await uow.catalogues.current()
    labels = {c.code: c.label for c in catalogue.categories}
    return {"since": start.isoformat(), "generated_at": now.isoformat(), "meeting": next_meeting(today).isoformat(),
            "previous_meeting": previous_meeting(today).isoformat(), "township": uow.roster.township().name,
            "villages": rows, "totals": {k: sum(r[k] for r in rows) for k in ("new", "closed", "overdue", "escalated")},
            "top_categories": [{"code": code, "label": labels.get(code, code), "count": n}
                               for code, n in Counter(categories).most_common(top)]}


def _distinct_by_village(events: Sequence[Any]) -> dict[str, int]:
    cases_by_village: dict[str, set[str]] = defaultdict(set)
    for event in events:
        cases_by_village[event["village_code"]].add(event["case_id"])
    return {village: len(ids) for village, ids in cases_by_village.items()}
