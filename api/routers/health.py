"""`/healthz` and `/metrics`: what an operator (or a probe, or Prometheus) may see.

Without a token `/healthz` says only `ok` or `degraded` (503): internals are for admins.
`/metrics` answers an admin's token, or a scraper from `MINQING_METRICS_NETWORKS`.
"""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse

from api.deps import App, Credentials
from api.schemas.cases import Health
from infra.scrape import CONTENT_TYPE, render
from models.access import Capability

router = APIRouter(tags=["health"])


async def _is_admin(app: App, credentials: Credentials, request: Request) -> bool:
    if credentials is None:
        return False
    address = request.client.host if request.client else None
    try:
        actor = await app.access.authenticate(credentials.credentials, address=address)
    except Exception:  # noqa: BLE001 - a probe gets its answer even when the database is down
        return False
    return actor is not None and actor.can(Capability.ADMINISTER)


@router.get("/healthz", response_model=Health, response_model_exclude_none=True,
            responses={503: {"model": Health, "description": "degraded"}})
async def healthz(request: Request, app: App, credentials: Credentials) -> JSONResponse:
    probe = request.app.state.health
    if probe is None:
        body, ok = {"status": "degraded"}, False
    else:
        found = await probe.health(details=await _is_admin(app, credentials, request))
        body, ok = {"status": found.status, **found.details}, found.ok
    return JSONResponse(body, status_code=status.HTTP_200_OK if ok else status.HTTP_503_SERVICE_UNAVAILABLE,
                        headers={"Cache-Control": "no-store"})


@router.get("/metrics", response_class=Response,
            responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}})
async def metrics(request: Request, app: App, credentials: Credentials) -> Response:
    probe = request.app.state.health
    client = request.client.host if request.client else None
    allowed = probe is not None and probe.scraper_allowed(client)
    if not allowed and not await _is_admin(app, credentials, request):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED if credentials is None else status.HTTP_403_FORBIDDEN,
                            "an admin's bearer token (or a scraper network in MINQING_METRICS_NETWORKS) is required",
                            headers={"WWW-Authenticate": "Bearer"})
    text = await probe.metrics() if probe is not None else render(None)
    return Response(text, media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})
