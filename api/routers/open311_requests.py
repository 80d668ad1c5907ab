"""Open311 GeoReport v2 reading: `GET requests` with the spec's filters and `GET requests/{id}`.
The same case scope as everywhere else decides what a caller with an `api_key` sees."""
from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import and_, not_, or_

from api.deps import ApiServices, CurrentRoster, Services
from api.open311 import services as svc311
from api.open311.formats import render
from api.routers.open311 import ANSWERS, MAX_REQUESTS, ApiKeyHeader, Fmt, _error, _principal
from infra.auth.scope import scope_for
from infra.db import case_queries, case_repo
from infra.db.case_queries import Scope
from infra.db.tables import cases
from models.categories import DEFAULT_CATALOGUE
from models.roster import Roster

router = APIRouter(prefix="/open311/v2", tags=["open311"])
Opt = Annotated[str | None, Query(max_length=2000)]


def _public() -> Any:
    return and_(not_(case_queries.accusing()), or_(cases.c.kind.is_(None), cases.c.kind.not_in(svc311.CONFIDENTIAL_KINDS)))


async def _reader(svc: ApiServices, roster: Roster, api_key: str | None) -> tuple[Scope, Any, bool] | None:
    """(scope, extra condition, full view); None when an api_key was given but is not valid."""
    principal = await _principal(svc, api_key)
    if api_key and principal is None:
        return None
    if principal is None:
        return Scope(township=True), _public(), False
    return scope_for(principal, roster), None, True


def _filters(service_request_id: str | None, service_code: str | None, status: str | None,
             start: Any, end: Any) -> list[Any]:
    if service_request_id:  # the spec: other filters are ignored
        return [cases.c.case_id.in_([i.strip() for i in service_request_id.split(",") if i.strip()][:MAX_REQUESTS])]
    found: list[Any] = []
    if service_code:
        found.append(cases.c.category.in_([c.strip() for c in service_code.split(",")]))
    if status:
        wanted = {s.strip() for s in status.split(",")}
        if not wanted <= {"open", "closed"}:
            raise ValueError("status: open, closed or both (comma-separated)")
        if wanted == {"open"}:
            found.append(cases.c.status.not_in(case_repo.CLOSED_STATUSES))
        elif wanted == {"closed"}:
            found.append(cases.c.status.in_(case_repo.CLOSED_STATUSES))
    if start is not None:
        found.append(cases.c.occurred_at >= start)
    if end is not None:
        found.append(cases.c.occurred_at <= end)
    return found


@router.get("/requests.{fmt}", responses=ANSWERS)
async def list_requests(fmt: Fmt, svc: Services, roster: CurrentRoster, api_key: Opt = None,
                        service_request_id: Opt = None, service_code: Opt = None, status: Opt = None,
                        start_date: Opt = None, end_date: Opt = None, x_api_key: ApiKeyHeader = None) -> Response:
    reader = await _reader(svc, roster, x_api_key or api_key)
    if reader is None:
        return _error(fmt, 403, "api_key: not valid")
    scope, extra, full = reader
    now = svc.clock()
    try:
        start, end = svc311.parse_date(start_date, "start_date"), svc311.parse_date(end_date, "end_date")
        if start is None and end is None and not service_request_id:
            start = now - timedelta(days=90)  # the spec's default window
        conditions = _filters(service_request_id, service_code, status, start, end)
    except ValueError as error:
        return _error(fmt, 400, str(error))
    if extra is not None:
        conditions.append(extra)
    async with svc.engine.connect() as conn:
        rows, _ = await case_queries.list_visible(conn, scope, case_repo.CaseFilter(), now, limit=MAX_REQUESTS,
                                                  offset=0, extra=and_(*conditions) if conditions else None)
    return render(fmt, "requests", [svc311.request_view(r, roster, DEFAULT_CATALOGUE, full=full) for r in rows])


@router.get("/requests/{service_request_id}.{fmt}", responses=ANSWERS)
async def get_request(service_request_id: str, fmt: Fmt, svc: Services, roster: CurrentRoster,
                      api_key: Opt = None, x_api_key: ApiKeyHeader = None) -> Response:
    reader = await _reader(svc, roster, x_api_key or api_key)
    if reader is None:
        return _error(fmt, 403, "api_key: not valid")
    scope, extra, full = reader
    async with svc.engine.connect() as conn:
        rows, _ = await case_queries.list_visible(
            conn, scope, case_repo.CaseFilter(), svc.clock(), limit=1, offset=0,
            extra=and_(cases.c.case_id == service_request_id, *([extra] if extra is not None else [])))
    if not rows:
        return _error(fmt, 404, f"service_request_id: no request {service_request_id!r}")
    return render(fmt, "requests", [svc311.request_view(rows[0], roster, DEFAULT_CATALOGUE, full=full)])
