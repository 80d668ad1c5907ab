"""`/healthz`: can this process reach the database and the broker right now?"""
from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from api.schemas.cases import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz(request: Request, response: Response) -> Health:
    found = await request.app.state.health.check()
    if found["status"] != "ok":
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Health(**found)
