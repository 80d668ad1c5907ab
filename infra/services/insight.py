"""What leaders watch: the three rates by village or cadre and overdue cases day by day —
over the cases in the leader's scope, so a case hidden from them by confidentiality counts
for nothing here. The joint-meeting report and the other periodic reports: `reports`."""
from __future__ import annotations

from collections import defaultdict
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

TIME_ZONE = ZoneInfo("Asia/Shanghai")
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
    # `cases`: the scope's cases that occurred before the end and occurred or changed since the start
    relevant = CaseFilter(occurred_until=cmd.end, touched_since=cmd.start)
    found = await uow.reads.rates_by(scope_of(uow, cmd.actor), relevant, cmd.start, cmd.end,
                                     "village_code" if cmd.by == "village" else "owner_cadre_id")
    rows = []
    for key in sorted(found):
        cases, three = found[key]
        rows.append({"key": key, "cases": cases, "response": three.response,
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
