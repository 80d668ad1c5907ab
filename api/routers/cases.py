"""Reading cases: lists, counts and details, for every role, always through the one scope."""
from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.acting import not_found
from api.deps import ReaderCaller, Services
from api.schemas.cases import CaseCounts, CaseDetail, CasesPublic
from api.views import UNMASKED_ROLES, case_detail, case_view
from api.schemas.problems import answers
from infra.db import audit, case_queries, case_repo
from models.audit import UNMASKED_VIEW
from models.lifecycle import CaseStatus

router = APIRouter(prefix="/api/v1/cases", tags=["cases"], responses=answers(401, 403, 404, 503))
MAX_PAGE = 200
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
StatusFilter = Annotated[CaseStatus | None, Query(alias="status")]
Village = Annotated[str | None, Query(pattern=r"^\d{12}$")]
Text64 = Annotated[str | None, Query(min_length=1, max_length=64)]


@router.get("", response_model=CasesPublic)
async def list_cases(svc: Services, caller: ReaderCaller, source_event_id: Text64 = None, village_code: Village = None,
                     status_: StatusFilter = None, owner_cadre_id: Text64 = None, overdue: bool | None = None,
                     escalated: bool | None = None, limit: Limit = 50, offset: Offset = 0) -> CasesPublic:
    filters = case_repo.CaseFilter(source_event_id, village_code, status_.value if status_ else None,
                                   owner_cadre_id, overdue, escalated)
    now = svc.clock()
    async with svc.engine.connect() as conn:
        rows, total = await case_queries.list_visible(conn, caller.scope, filters, now, limit=limit, offset=offset)
    return CasesPublic(items=[case_view(row, now) for row in rows], total=total, limit=limit, offset=offset)


@router.get("/counts", response_model=CaseCounts)
async def count_cases(svc: Services, caller: ReaderCaller) -> CaseCounts:
    async with svc.engine.connect() as conn:
        return CaseCounts(**await case_queries.count_visible(conn, caller.scope, svc.clock()))


EXPORT_COLUMNS = ("case_id", "tracking_code", "status", "source", "village_code", "category", "kind", "urgency",
                  "owner_cadre_id", "handler_cadre_id", "escalation_level", "next_due_at", "created_at", "updated_at")
MAX_EXPORT = 10_000


@router.get("/export.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def export_cases(svc: Services, caller: ReaderCaller, village_code: Village = None, status_: StatusFilter = None,
                       overdue: bool | None = None, escalated: bool | None = None) -> Response:
    """The cases in reach as CSV (no petitioner data), at most 10,000 rows, newest first."""
    filters = case_repo.CaseFilter(None, village_code, status_.value if status_ else None, None, overdue, escalated)
    async with svc.engine.connect() as conn:
        rows, _ = await case_queries.list_visible(conn, caller.scope, filters, svc.clock(), limit=MAX_EXPORT, offset=0)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows([row[c] for c in EXPORT_COLUMNS] for row in rows)
    return Response(out.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="cases.csv"'})


@router.get("/{case_id}", response_model=CaseDetail)
async def get_case(case_id: str, svc: Services, caller: ReaderCaller) -> CaseDetail:
    now = svc.clock()
    async with svc.engine.begin() as conn:
        row = await case_queries.visible_case(conn, caller.scope, case_id)
        if row is None:
            raise not_found(case_id)
        timeline = await case_repo.timeline(conn, case_id)
        if caller.role in UNMASKED_ROLES and row.get("petitioner"):
            await audit.record(conn, at=now, who=caller.principal, action=UNMASKED_VIEW, case_id=case_id,
                               fields=["phone", "id_number"])
    return case_detail(row, now, timeline, caller.role)
