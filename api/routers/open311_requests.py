"""Open311 GeoReport v2 reading: `GET requests` with the spec's filters and `GET requests/{id}`.
The same case scope as everywhere else decides what a caller with an `api_key` sees."""
from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import App
from api.open311 import services as svc311
from api.open311.formats import render
from api.routers.open311 import ANSWERS, ApiKeyHeader, Fmt, error, key_holder
from infra.services.open311 import MAX_REQUESTS, ListRequests, Requests, request_view

router = APIRouter(prefix="/open311/v2", tags=["open311"])
Opt = Annotated[str | None, Query(max_length=2000)]


def _split(value: str | None) -> tuple[str, ...] | None:
    return None if not value else tuple(v.strip() for v in value.split(",") if v.strip())


def _status(value: str | None) -> bool | None:
    wanted = set(_split(value) or ())
    if not wanted <= {"open", "closed"}:
        raise ValueError("status: open, closed or both (comma-separated)")
    return None if len(wanted) != 1 else wanted == {"open"}


def _render(fmt: str, found: Requests) -> Response:
    return render(fmt, "requests", [request_view(r, found.roster, found.catalogue, full=found.full) for r in found.rows])


@router.get("/requests.{fmt}", responses=ANSWERS)
async def list_requests(fmt: Fmt, app: App, request: Request, api_key: Opt = None, service_request_id: Opt = None,
                        service_code: Opt = None, status: Opt = None, start_date: Opt = None,
                        end_date: Opt = None, x_api_key: ApiKeyHeader = None) -> Response:
    api_key = x_api_key or api_key
    actor = await key_holder(app, api_key, request)
    if api_key and actor is None:
        return error(fmt, 403, "api_key: not valid")
    if service_request_id:  # the spec: other filters are ignored
        ids = (_split(service_request_id) or ())[:MAX_REQUESTS]
        return _render(fmt, await app.handle(ListRequests(actor, case_ids=ids)))
    try:
        start, end = svc311.parse_date(start_date, "start_date"), svc311.parse_date(end_date, "end_date")
        still_open = _status(status)
    except ValueError as refusal:
        return error(fmt, 400, str(refusal))
    query = ListRequests(actor, service_codes=_split(service_code), open=still_open, start=start,
                         end=end + timedelta(microseconds=1) if end else None)
    return _render(fmt, await app.handle(query))


@router.get("/requests/{service_request_id}.{fmt}", responses=ANSWERS)
async def get_request(service_request_id: str, fmt: Fmt, app: App, request: Request, api_key: Opt = None,
                      x_api_key: ApiKeyHeader = None) -> Response:
    api_key = x_api_key or api_key
    actor = await key_holder(app, api_key, request)
    if api_key and actor is None:
        return error(fmt, 403, "api_key: not valid")
    found = await app.handle(ListRequests(actor, case_ids=(service_request_id,)))
    if not found.rows:
        return error(fmt, 404, f"service_request_id: no request {service_request_id!r}")
    return _render(fmt, found)
