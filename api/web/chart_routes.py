"""The dashboard's SVG charts: the three rates and overdue cases over time, by village or
by cadre, over the leader's scope."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from api.deps import App, Watcher
from api.web.charts import lines, rate_bars
from api.web.i18n import language_of, translator
from infra.services.directory import Directory
from infra.services.insight import OverdueHistory, RecentRates

router = APIRouter(prefix="/ui/api/charts", tags=["web"], include_in_schema=False)
By = Literal["village", "cadre"]
Days = Annotated[int, Query(ge=1, le=90)]
MAX_SERIES = 8


def _svg(markup: str) -> Response:
    return Response(markup, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


async def _labels(app: App, actor: Watcher, by: str) -> dict[str, str]:
    found = await app.handle(Directory(actor))
    if by == "village":
        return {v["code"]: v["name"] for v in found["villages"]}
    return {c["cadre_id"]: c["name"] for c in found["cadres"]}


@router.get("/rates.svg")
async def rates_chart(request: Request, app: App, actor: Watcher, by: By = "village", days: Days = 30) -> Response:
    t = translator(language_of(request))
    rows = await app.handle(RecentRates(actor, days, by))
    names = await _labels(app, actor, by)
    groups = [(names.get(row["key"], row["key"]),
               [row["response"].value, row["resolution"].value, row["satisfaction"].value]) for row in rows]
    series = [t("rates.response"), t("rates.resolution"), t("rates.satisfaction")]
    return _svg(rate_bars(t(f"chart.rates.{by}", days=days), groups[:12], series, t("chart.empty"), t("chart.no_data")))


@router.get("/overdue.svg")
async def overdue_chart(request: Request, app: App, actor: Watcher, by: By = "village", days: Days = 14) -> Response:
    t = translator(language_of(request))
    day_list, series = await app.handle(OverdueHistory(actor, by, days))
    busiest = sorted(series.items(), key=lambda item: (-max(item[1]), item[0]))[:MAX_SERIES]
    names = await _labels(app, actor, by)
    named = [(names.get(key, key), values) for key, values in busiest]
    labels = [f"{day.month}/{day.day}" for day in day_list]
    return _svg(lines(t(f"chart.overdue.{by}", days=days), labels, named, t("chart.empty")))
