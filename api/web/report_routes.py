"""The Monday/Thursday joint-meeting report: new, closed, overdue and escalated cases since
the last meeting, by village, with the top categories of the new ones."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from sqlalchemy import distinct, func, select

from api.deps import ReaderCaller, Services
from api.web.meetings import next_meeting, previous_meeting
from api.web.pages import TIME_ZONE
from infra.db.case_queries import scoped
from infra.db.case_repo import CLOSED_STATUSES
from infra.db.tables import case_events, cases

router = APIRouter(prefix="/ui/api", tags=["web"], include_in_schema=False)
TOP_CATEGORIES = 5


@router.get("/report")
async def meeting_report(svc: Services, caller: ReaderCaller,
                         since: Annotated[date | None, Query(description="default: the last meeting day")] = None
                         ) -> dict[str, Any]:
    zone = ZoneInfo(TIME_ZONE)
    now = svc.clock()
    today = now.astimezone(zone).date()
    start_day = since or previous_meeting(today)
    start = datetime.combine(start_day, time(0), zone)
    async with svc.engine.connect() as conn:
        new = await _count_by_village(conn, caller, cases.c.occurred_at >= start)
        overdue = await _count_by_village(conn, caller, (cases.c.next_due_at < now)
                                          & cases.c.status.not_in(CLOSED_STATUSES))
        closed = await _events_by_village(conn, caller, ("resolved", "closed"), start)
        escalated = await _events_by_village(conn, caller, ("escalated",), start)
        categories = await conn.execute(scoped(select(cases.c.category, func.count()), caller.scope)
                                        .where(cases.c.occurred_at >= start).group_by(cases.c.category))
        top = Counter({category: int(n) for category, n in categories}).most_common(TOP_CATEGORIES)
    rows = [{"village_code": v.code, "name": v.name, "new": new.get(v.code, 0), "closed": closed.get(v.code, 0),
             "overdue": overdue.get(v.code, 0), "escalated": escalated.get(v.code, 0)}
            for v in caller.roster.villages()
            if caller.scope.township or v.code in caller.scope.village_codes
            or any(v.code in d for d in (new, closed, overdue, escalated))]
    labels = {c.code: c.label for c in caller.roster.catalogue.categories}
    return {"since": start.isoformat(), "generated_at": now.isoformat(), "meeting": next_meeting(today).isoformat(),
            "township": caller.roster.township().name, "villages": rows,
            "totals": {k: sum(r[k] for r in rows) for k in ("new", "closed", "overdue", "escalated")},
            "top_categories": [{"code": code, "label": labels.get(code, code), "count": n} for code, n in top]}


async def _count_by_village(conn: Any, caller: ReaderCaller, condition: Any) -> dict[str, int]:
    rows = await conn.execute(scoped(select(cases.c.village_code, func.count()), caller.scope)
                              .where(condition).group_by(cases.c.village_code))
    return {code: int(n) for code, n in rows}


async def _events_by_village(conn: Any, caller: ReaderCaller, kinds: tuple[str, ...], start: datetime) -> dict[str, int]:
    """Distinct cases with such an event since `start`."""
    query = (scoped(select(cases.c.village_code, func.count(distinct(cases.c.case_id))), caller.scope)
             .join(case_events, case_events.c.case_id == cases.c.case_id)
             .where(case_events.c.type.in_(kinds), case_events.c.at >= start).group_by(cases.c.village_code))
    rows = await conn.execute(query)
    return {code: int(n) for code, n in rows}
