"""The petitioner's view, without a token: `GET /api/v1/track/{tracking_code}`."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, status
from sqlalchemy import select

from api.schemas.public import TrackedCase, TrackedReply
from api.deps import Services
from api.schemas.problems import answers
from infra.db import case_repo
from infra.db.tables import cases

router = APIRouter(prefix="/api/v1", tags=["public"], responses=answers(404))
Code = Annotated[str, Path(min_length=4, max_length=16, pattern=r"^[0-9A-Za-z]+$")]


@router.get("/track/{tracking_code}", response_model=TrackedCase)
async def track(tracking_code: Code, svc: Services) -> TrackedCase:
    async with svc.engine.connect() as conn:
        row = (await conn.execute(select(cases).where(cases.c.tracking_code == tracking_code.upper()))).first()
        if row is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no case with tracking code {tracking_code}")
        timeline = await case_repo.timeline(conn, row.case_id)
    replies = [TrackedReply(at=e["at"], text=str(e["data"].get("reply") or e["data"].get("resolution")))
               for e in timeline if e["type"] == "replied" or (e["type"] == "resolved" and e["data"].get("on_spot"))]
    return TrackedCase(tracking_code=row.tracking_code, status=row.status, category=row.category,
                       received_at=row.occurred_at, updated_at=row.updated_at, due_at=row.next_due_at,
                       closed=row.status in case_repo.CLOSED_STATUSES, replies=replies)
