"""Reading cases. Full role scoping arrives with the case API issue; until then
only admins, who see everything, may read."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status

from api.deps import CurrentPrincipal, Services
from api.schemas import CasePublic, CasesPublic, TimelineEntry
from infra.db import case_repo
from infra.tokens import Principal

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])
MAX_PAGE = 200


def _require_reader(principal: Principal) -> None:
    if principal.role != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"role {principal.role!r} cannot read cases yet")


def _public(row: dict[str, Any], now: datetime, timeline: list[dict[str, Any]] | None = None) -> CasePublic:
    due = row["next_due_at"]
    return CasePublic(
        **{key: row[key] for key in CasePublic.model_fields if key in row and key not in ("deadlines", "timeline")},
        deadlines={stage: datetime.fromisoformat(at) for stage, at in row["deadlines"].items()},
        overdue=due is not None and due < now and row["status"] not in case_repo.CLOSED_STATUSES,
        timeline=[TimelineEntry(**entry) for entry in timeline or []],
    )


@router.get("/{case_id}", response_model=CasePublic)
async def get_case(case_id: str, svc: Services, principal: CurrentPrincipal) -> CasePublic:
    _require_reader(principal)
    async with svc.engine.connect() as conn:
        row = await case_repo.get_case(conn, case_id)
        if row is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no case {case_id}")
        timeline = await case_repo.timeline(conn, case_id)
    return _public(row, svc.clock(), timeline)


@router.get("", response_model=CasesPublic)
async def list_cases(
    svc: Services, principal: CurrentPrincipal,
    source_event_id: str | None = None, village_code: Annotated[str | None, Query(pattern=r"^\d{12}$")] = None,
    status_: Annotated[str | None, Query(alias="status")] = None, owner_cadre_id: str | None = None,
    overdue: bool | None = None, escalated: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> CasesPublic:
    _require_reader(principal)
    filters = case_repo.CaseFilter(source_event_id, village_code, status_, owner_cadre_id, overdue, escalated)
    now = svc.clock()
    async with svc.engine.connect() as conn:
        rows, total = await case_repo.list_cases(conn, filters, now, limit=limit, offset=offset)
    return CasesPublic(items=[_public(row, now) for row in rows], total=total, limit=limit, offset=offset)
