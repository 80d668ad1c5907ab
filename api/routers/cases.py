"""Reading cases: lists, counts and details, for every role, always through the one scope."""
from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from api.deps import App, Reader
from api.schemas.cases import AFTER, CaseCounts, CaseDetail, CasesPublic
from api.schemas.problems import answers
from api.strict import StrictQueryRoute
from infra.services.ports import CaseFilter
from infra.services.reads import EXPORT_COLUMNS, CountCases, ExportCases, GetCase, ListCases
from models.lifecycle import CaseStatus

router = APIRouter(prefix="/api/v1/cases", tags=["cases"], responses=answers(401, 403, 404, 503),
                   route_class=StrictQueryRoute)
MAX_PAGE = 200
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
After = Annotated[str | None, Query(max_length=512, description=AFTER)]
StatusFilter = Annotated[CaseStatus | None, Query(alias="status")]
Village = Annotated[str | None, Query(pattern=r"^\d{12}$")]
Text64 = Annotated[str | None, Query(min_length=1, max_length=64)]


@router.get("", response_model=CasesPublic)
async def list_cases(app: App, actor: Reader, source_event_id: Text64 = None, village_code: Village = None,
                     status_: StatusFilter = None, owner_cadre_id: Text64 = None, overdue: bool | None = None,
                     escalated: bool | None = None, open_: Annotated[bool | None, Query(alias="open")] = None,
                     tracking_code: Annotated[str | None, Query(min_length=4, max_length=24)] = None,
                     q: Annotated[str | None, Query(min_length=1, max_length=100, description=(
                         "tracking code, phone, name or words of the summary and details"))] = None,
                     sent_back: Annotated[bool | None, Query(description="sent back by an unsatisfied callback")] = None,
                     limit: Limit = 50, offset: Offset = 0, after: After = None) -> CasesPublic:
    filters = CaseFilter(source_event_id=source_event_id, village_code=village_code,
                         status=status_.value if status_ else None, owner_cadre_id=owner_cadre_id,
                         overdue=overdue, escalated=escalated, open=open_, tracking_code=tracking_code, q=q,
                         sent_back=sent_back)
    page = await app.handle(ListCases(actor, filters, limit, offset, after))
    return CasesPublic(items=page.items, total=page.total, limit=limit, offset=offset, q=q,
                       next_cursor=page.next_cursor)


@router.get("/counts", response_model=CaseCounts)
async def count_cases(app: App, actor: Reader) -> CaseCounts:
    return CaseCounts(**await app.handle(CountCases(actor)))


@router.get("/export.csv", response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}})
async def export_cases(app: App, actor: Reader, village_code: Village = None, status_: StatusFilter = None,
                       overdue: bool | None = None, escalated: bool | None = None) -> StreamingResponse:
    """The cases in reach as CSV (no petitioner data), at most 10,000 rows, newest first,
    streamed chunk by chunk (the server's memory does not grow with the file)."""
    filters = CaseFilter(village_code=village_code, status=status_.value if status_ else None, overdue=overdue,
                         escalated=escalated)
    chunks = await app.export(ExportCases(actor, filters))  # refused or audited before the first byte
    return StreamingResponse(_csv(chunks), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="cases.csv"'})


async def _csv(chunks: AsyncIterator[list[tuple[Any, ...]]]) -> AsyncIterator[bytes]:
    """UTF-8 with a byte-order mark (what spreadsheet programs need to read Chinese), a line of
    column names, then each chunk's lines."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    yield out.getvalue().encode("utf-8-sig")
    async for rows in chunks:
        out.seek(0)
        out.truncate()
        writer.writerows(rows)
        yield out.getvalue().encode("utf-8")


@router.get("/{case_id}", response_model=CaseDetail)
async def get_case(case_id: str, app: App, actor: Reader) -> CaseDetail:
    return CaseDetail(**await app.handle(GetCase(actor, case_id)))
