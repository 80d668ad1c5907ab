"""`/healthz` and `/metrics`: what an operator (or a probe, or Prometheus) may see.

Without a token `/healthz` says only `ok` or `degraded` (503): internals are for admins.
`/metrics` answers an admin's token, or a scraper from `MINQING_METRICS_NETWORKS`.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse

from api.deps import Credentials, Services
from api.schemas.cases import Health
from infra.operations import Operations
from infra.scrape import CONTENT_TYPE
from infra.tokens import principal_for

router = APIRouter(tags=["health"])


def _operations(request: Request) -> Operations:
    return request.app.state.operations  # type: ignore[no-any-return]


async def _is_admin(svc: Any, credentials: Any) -> bool:
    if credentials is None:
        return False
    async with svc.engine.connect() as conn:
        principal = await principal_for(conn, credentials.credentials, svc.clock())
    return principal is not None and principal.role == "admin"


@router.get("/healthz", response_model=Health, response_model_exclude_none=True,
            responses={503: {"model": Health, "description": "degraded"}})
async def healthz(request: Request, svc: Services, credentials: Credentials) -> JSONResponse:
    try:
        details = await _is_admin(svc, credentials)
    except Exception:  # noqa: BLE001 - a probe gets its answer even when the database is down
        details = False
    health = await _operations(request).health(details=details)
    return JSONResponse({"status": health.status, **health.details},
                        status_code=status.HTTP_200_OK if health.ok else status.HTTP_503_SERVICE_UNAVAILABLE,
                        headers={"Cache-Control": "no-store"})


@router.get("/metrics", response_class=Response, include_in_schema=True,
            responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}})
async def metrics(request: Request, svc: Services, credentials: Credentials) -> Response:
    operations = _operations(request)
    client = request.client.host if request.client else None
    if not operations.scraper_allowed(client) and not await _is_admin(svc, credentials):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED if credentials is None else status.HTTP_403_FORBIDDEN,
                            "an admin's bearer token (or a scraper network in MINQING_METRICS_NETWORKS) is required",
                            headers={"WWW-Authenticate": "Bearer"})
    return Response(await operations.metrics(), media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})
