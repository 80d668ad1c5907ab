"""The petitioner's view, without a token: `GET /api/v1/track/{tracking_code}`."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import App
from api.schemas.problems import answers
from api.schemas.public import TrackedCase
from api.strict import StrictQueryRoute
from infra.services.reads import TrackCase

router = APIRouter(route_class=StrictQueryRoute, prefix="/api/v1", tags=["public"], responses=answers(404))
Code = Annotated[str, Path(min_length=4, max_length=16, pattern=r"^[0-9A-Za-z]+$")]


@router.get("/track/{tracking_code}", response_model=TrackedCase)
async def track(tracking_code: Code, app: App) -> TrackedCase:
    return TrackedCase(**await app.handle(TrackCase(tracking_code)))
