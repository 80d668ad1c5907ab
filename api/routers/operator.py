"""The hotline operator: log a call (202: stored, relayed to `hotline.calls`, answered with
the owner once routed), look up a caller's earlier cases, record callback results."""
from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import App, Callbacks, Desk, Reader
from api.schemas.actions import CallbackCreate, Empty, ReasonCreate
from api.schemas.cases import CallerLookup, CaseDetail, CasesPublic
from api.schemas.intake import CallCreate, EventAccepted, accepted
from api.schemas.problems import answers
from api.strict import StrictQueryRoute
from infra.services.casework import CloseCase, RecordCallback
from infra.services.lifecycle import RequestReviewOf
from infra.services.reads import CallerCases
from infra.services.submissions import SubmitEvent

router = APIRouter(prefix="/api/v1", tags=["operator"], responses=answers(401, 403, 404, 409, 413, 503),
                   route_class=StrictQueryRoute)


@router.post("/calls", response_model=EventAccepted, status_code=status.HTTP_202_ACCEPTED)
async def log_call(body: CallCreate, app: App, actor: Desk) -> EventAccepted:
    fields = body.model_dump(exclude_none=True, mode="json")
    return accepted(await app.submit(SubmitEvent(actor, "hotline.calls", fields)))


@router.post("/callers/cases", response_model=CasesPublic)
async def caller_cases(body: CallerLookup, app: App, actor: Desk) -> CasesPublic:
    """A caller's earlier cases, by phone number (an audited look-up of personal data; the
    number goes in the body, never in the URL, and into the audit log only masked)."""
    page = await app.handle(CallerCases(actor, body.phone, body.limit, body.offset, body.after))
    return CasesPublic(items=page.items, total=page.total, limit=body.limit, offset=body.offset,
                       next_cursor=page.next_cursor)


@router.post("/cases/{case_id}/callback", response_model=CaseDetail)
async def record_callback(case_id: str, body: CallbackCreate, app: App, actor: Callbacks) -> CaseDetail:
    """回访: satisfied → resolved; unsatisfied → back to the handler; unreachable → resolved with the reason."""
    return CaseDetail(**await app.handle(RecordCallback(actor, case_id, body.result, body.problem_solved, body.note)))


@router.post("/cases/{case_id}/close", response_model=CaseDetail)
async def close(case_id: str, app: App, actor: Reader, body: Empty | None = None) -> CaseDetail:
    """Close a resolved case: its owner or handler, an operator or petition staff."""
    return CaseDetail(**await app.handle(CloseCase(actor, case_id)))


@router.post("/cases/{case_id}/review-requests", response_model=CaseDetail)
async def request_review(case_id: str, body: ReasonCreate, app: App, actor: Callbacks) -> CaseDetail:
    """The petitioner asks for review (复查) within 30 days of the written reply."""
    return CaseDetail(**await app.handle(RequestReviewOf(actor, case_id, body.reason)))


@router.post("/cases/{case_id}/re-review-requests", response_model=CaseDetail)
async def request_re_review(case_id: str, body: ReasonCreate, app: App, actor: Callbacks) -> CaseDetail:
    """The petitioner asks for re-review (复核) within 30 days of the review decision."""
    return CaseDetail(**await app.handle(RequestReviewOf(actor, case_id, body.reason, re_review=True)))
