"""The three rates (三率) by village or by cadre for a chosen period, over the cases in the
leader's scope (so a case hidden from them by confidentiality counts for nothing here)."""
from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from api.deps import LeaderCaller, Services
from api.schemas.leader import RatePublic, RatesPublic, RatesRow
from api.problems import unprocessable
from api.schemas.problems import answers
from infra.case_store import load_cases
from infra.db import case_queries
from infra.db.tables import cases
from models.case import Case
from models.rates import Rate, three_rates

router = APIRouter(prefix="/api/v1", tags=["leader"], responses=answers(401, 403, 503))


def _rate(rate: Rate) -> RatePublic:
    return RatePublic(numerator=rate.numerator, denominator=rate.denominator, value=rate.value)


@router.get("/rates", response_model=RatesPublic)
async def rates(svc: Services, caller: LeaderCaller, start: Annotated[AwareDatetime, Query()],
                end: Annotated[AwareDatetime, Query()], by: Literal["village", "cadre"] = "village") -> RatesPublic:
    if end <= start:
        raise unprocessable("end", "must be after start", "query")
    if not 1900 <= start.year <= end.year <= 2200:
        raise unprocessable("start", "the years must be between 1900 and 2200", "query")
    if (end - start).days > 366:
        raise unprocessable("end", "a period is at most 366 days", "query")
    relevant = (cases.c.occurred_at < end) & ((cases.c.occurred_at >= start) | (cases.c.updated_at >= start))
    async with svc.engine.connect() as conn:
        ids = await case_queries.visible_ids(conn, caller.scope, relevant)
        loaded = await load_cases(conn, ids) if ids else {}
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in loaded.values():
        groups[(case.village_code if by == "village" else case.owner_cadre_id) or ""].append(case)
    rows = []
    for key in sorted(groups):
        three = three_rates(groups[key], start, end)
        rows.append(RatesRow(key=key, cases=len(groups[key]), response=_rate(three.response),
                             resolution=_rate(three.resolution), satisfaction=_rate(three.satisfaction)))
    return RatesPublic(by=by, start=start, end=end, rows=rows)
