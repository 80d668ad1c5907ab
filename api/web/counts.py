"""Open, overdue and escalated cases by village, within the caller's scope."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.case_queries import Scope, scoped
from infra.db.case_repo import CLOSED_STATUSES
from infra.db.tables import cases
from models.roster import Roster


async def counts_by_village(conn: AsyncConnection, scope: Scope, roster: Roster, now: datetime) -> list[dict[str, Any]]:
    still_open = cases.c.status.not_in(CLOSED_STATUSES)
    query = scoped(select(cases.c.village_code, func.count(),
                          func.count().filter(cases.c.next_due_at < now),
                          func.count().filter(cases.c.escalation_level > 0)), scope)
    rows = await conn.execute(query.where(still_open).group_by(cases.c.village_code))
    found = {code: (int(n), int(late), int(up)) for code, n, late, up in rows}
    in_reach = [v for v in roster.villages() if scope.township or v.code in scope.village_codes or v.code in found]
    return [{"village_code": v.code, "name": v.name, "open": found.get(v.code, (0, 0, 0))[0],
             "overdue": found.get(v.code, (0, 0, 0))[1], "escalated": found.get(v.code, (0, 0, 0))[2]}
            for v in in_reach]


def totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(int(r[key]) for r in rows) for key in ("open", "overdue", "escalated")}
