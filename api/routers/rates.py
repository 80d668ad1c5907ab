"""The three rates (三率) by village or by cadre for a chosen period, over the cases in the
leader's scope (so a case hidden from them by confidentiality counts for nothing here)."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from api.deps import App, Watcher
from api.schemas.leader import RatePublic, RatesPublic, RatesRow
from api.schemas.problems import answers
from api.strict import StrictQueryRoute
from infra.services.insight import Rates
from models.rates import Rate

router = APIRouter(route_class=StrictQueryRoute, prefix="/api/v1", tags=["leader"], responses=answers(401, 403, 503))


def _rate(rate: Rate) -> RatePublic:
    return RatePublic(numerator=rate.numerator, denominator=rate.denominator, value=rate.value)


@router.get("/rates", response_model=RatesPublic)
async def rates(app: App, actor: Watcher, start: Annotated[AwareDatetime, Query()],
                end: Annotated[AwareDatetime, Query()], by: Literal["village", "cadre"] = "village") -> RatesPublic:
    rows = await app.handle(Rates(actor, start, end, by))
    return RatesPublic(by=by, start=start, end=end, rows=[
        RatesRow(key=row["key"], cases=row["cases"], response=_rate(row["response"]),
                 resolution=_rate(row["resolution"]), satisfaction=_rate(row["satisfaction"])) for row in rows])
