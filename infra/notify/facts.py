"""What the notifier reads about cases: their facts and histories, the recusal behind an alert,
the extension requests (rows of their own, turned into events), open cases for the digest and
replied cases for the callback reminder. Small functions on a connection, to move behind the
unit of work when the service layer lands."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.case_state import event_from_row, from_state
from infra.db.tables import case_events, cases, extension_requests
from models.case import Case, CaseEvent
from models.clock import current_due
from models.notifications import (EXTENSION_DECISION_EVENT, EXTENSION_REQUEST_EVENT, CaseFacts, Petitioner)

# Synthetic events (extension requests) come after every event the case has.
AFTER_HISTORY = 2**31 - 1


async def case_facts(conn: AsyncConnection, case_ids: Iterable[str]) -> dict[str, CaseFacts]:
    wanted = sorted(set(case_ids))
    if not wanted:
        return {}
    rows = (await conn.execute(select(cases.c.case_id, cases.c.tracking_code, cases.c.summary, cases.c.petitioner,
                                      cases.c.state).where(cases.c.case_id.in_(wanted)))).all()
    histories: dict[str, list[CaseEvent]] = {}
    events = await conn.execute(select(case_events).where(case_events.c.case_id.in_(wanted))
                                .order_by(case_events.c.case_id, case_events.c.seq))
    for row in events:
        histories.setdefault(row.case_id, []).append(event_from_row(dict(row._mapping)))
    out = {}
    for row in rows:
        case = from_state(row.state)
        out[row.case_id] = CaseFacts(row.case_id, row.tracking_code, case.village_code, case.category, case.urgency,
                                     row.summary, case.recusal, tuple(histories.get(row.case_id, ())),
                                     current_due(case), petitioner_of(row.petitioner))
    return out


def petitioner_of(raw: dict[str, Any] | None) -> Petitioner:
    if not raw:
        return Petitioner(anonymous=True)
    return Petitioner(raw.get("phone"), raw.get("id_number"), bool(raw.get("sms_opt_in")), bool(raw.get("anonymous")))


async def accused_in(conn: AsyncConnection, case_ids: Sequence[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The cadres and units that any case of an alert's cluster accuses."""
    cadres: set[str] = set()
    units: set[str] = set()
    if case_ids:
        for accused in (await conn.execute(select(cases.c.accused).where(cases.c.case_id.in_(list(case_ids))))).scalars():
            cadres |= set((accused or {}).get("cadre_ids") or ())
            units |= set((accused or {}).get("unit_codes") or ())
    return frozenset(cadres), frozenset(units)


async def extension_events(conn: AsyncConnection, since: datetime) -> list[CaseEvent]:
    """Extension requests made or decided since `since`, as the events the rule table knows."""
    rows = (await conn.execute(select(extension_requests).where(or_(
        extension_requests.c.requested_at > since, extension_requests.c.decided_at > since))
        .order_by(extension_requests.c.id))).all()
    out = []
    for row in rows:
        data = {"request_id": row.id, "requested_by": row.requested_by, "days": row.days, "reason": row.reason}
        out.append(CaseEvent(f"extension-request:{row.id}:requested", row.case_id, AFTER_HISTORY,
                             EXTENSION_REQUEST_EVENT, row.requested_at, row.requested_by, "", data))
        if row.status != "pending" and row.decided_at is not None:
            out.append(CaseEvent(f"extension-request:{row.id}:{row.status}", row.case_id, AFTER_HISTORY,
                                 EXTENSION_DECISION_EVENT, row.decided_at, row.decided_by, "",
                                 {**data, "status": row.status, "decided_by": row.decided_by}))
    return out


async def open_cases_due_by(conn: AsyncConnection, until: datetime) -> tuple[list[Case], dict[str, str]]:
    """Open cases whose running stage is due by `until` (overdue ones included), and their codes."""
    rows = (await conn.execute(select(cases.c.case_id, cases.c.tracking_code, cases.c.state).where(
        cases.c.next_due_at <= until, cases.c.is_open))).all()
    return [from_state(r.state) for r in rows], {r.case_id: r.tracking_code for r in rows}


async def replied_cases(conn: AsyncConnection, replied_before: datetime) -> list[tuple[Case, str]]:
    rows = (await conn.execute(select(cases.c.tracking_code, cases.c.state).where(
        cases.c.status == "replied", cases.c.updated_at <= replied_before))).all()
    return [(from_state(r.state), r.tracking_code) for r in rows]
