"""The dashboard's SVG charts: the three rates and overdue cases over time, by village or
by cadre, over the leader's scope."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import or_, select

from api.deps import LeaderCaller, Services
from api.routers.rates import rates
from api.web.charts import lines, rate_bars
from api.web.i18n import language_of, translator
from api.web.overdue_history import CaseClock, day_ends, overdue_series
from api.web.pages import TIME_ZONE
from infra.db.case_queries import scoped
from infra.db.case_repo import CLOSED_STATUSES
from infra.db.tables import case_events, cases
from models.roster import Roster

router = APIRouter(prefix="/ui/api/charts", tags=["web"], include_in_schema=False)
By = Literal["village", "cadre"]
Days = Annotated[int, Query(ge=1, le=90)]
MAX_SERIES = 8
_TRACKED = ("accepted", "replied", "resolved", "closed", "reopened")


def _svg(markup: str) -> Response:
    return Response(markup, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


def label_of(roster: Roster, by: str, key: str) -> str:
    if by == "village":
        return next((v.name for v in roster.villages() if v.code == key), key)
    return roster.cadre(key).name if roster.has_cadre(key) else key


@router.get("/rates.svg")
async def rates_chart(request: Request, svc: Services, caller: LeaderCaller, by: By = "village",
                      days: Days = 30) -> Response:
    t = translator(language_of(request))
    end = svc.clock()
    found = await rates(svc, caller, end - timedelta(days=days), end, by)
    groups = [(label_of(caller.roster, by, row.key),
               [row.response.value, row.resolution.value, row.satisfaction.value]) for row in found.rows]
    series = [t("rates.response"), t("rates.resolution"), t("rates.satisfaction")]
    return _svg(rate_bars(t(f"chart.rates.{by}", days=days), groups[:12], series, t("chart.empty"), t("chart.no_data")))


@router.get("/overdue.svg")
async def overdue_chart(request: Request, svc: Services, caller: LeaderCaller, by: By = "village",
                        days: Days = 14) -> Response:
    t = translator(language_of(request))
    now = svc.clock()
    zone = ZoneInfo(TIME_ZONE)
    ends = day_ends(now.astimezone(zone).date(), days, zone, now)
    clocks = await _case_clocks(svc, caller, by, ends[0][1] - timedelta(days=1), now)
    series = overdue_series(clocks, [moment for _, moment in ends])
    busiest = sorted(series.items(), key=lambda item: (-max(item[1]), item[0]))[:MAX_SERIES]
    named = [(label_of(caller.roster, by, key), values) for key, values in busiest]
    labels = [f"{day.month}/{day.day}" for day, _ in ends]
    return _svg(lines(t(f"chart.overdue.{by}", days=days), labels, named, t("chart.empty")))


async def _case_clocks(svc: Services, caller: LeaderCaller, by: str, since: datetime, now: datetime) -> list[CaseClock]:
    relevant = (cases.c.occurred_at < now) & or_(cases.c.status.not_in(CLOSED_STATUSES), cases.c.updated_at >= since)
    query = scoped(select(cases.c.case_id, cases.c.village_code, cases.c.owner_cadre_id, cases.c.occurred_at,
                          cases.c.deadlines), caller.scope).where(relevant).limit(20_000)
    async with svc.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
        ids = [row.case_id for row in rows]
        events: dict[str, list[tuple[str, datetime]]] = {case_id: [] for case_id in ids}
        if ids:
            found = await conn.execute(select(case_events.c.case_id, case_events.c.type, case_events.c.at)
                                       .where(case_events.c.case_id.in_(ids), case_events.c.type.in_(_TRACKED))
                                       .order_by(case_events.c.case_id, case_events.c.seq))
            for case_id, kind, at in found:
                events[case_id].append((kind, at))
    return [CaseClock(row.village_code if by == "village" else row.owner_cadre_id, row.occurred_at,
                      {stage: datetime.fromisoformat(at) for stage, at in row.deadlines.items()},
                      tuple(events[row.case_id])) for row in rows]
