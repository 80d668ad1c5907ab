"""The leader's desk: extension approvals, objection decisions and early warnings. Overdue
and escalated cases: `GET /api/v1/cases?overdue=true` and `?escalated=true` (same scope)."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api.deps import App, Leader, Watcher
from api.schemas.actions import DecisionCreate, Empty, ExtensionDecision, ObjectionDecision, ReasonCreate
from api.schemas.cases import CaseDetail
from api.schemas.leader import AlertPublic, AlertsPublic, ExtensionRequestPublic, ExtensionRequestsPublic
from api.schemas.problems import answers
from api.strict import StrictQueryRoute
from infra.services import lifecycle, oversight

router = APIRouter(prefix="/api/v1", tags=["leader"], responses=answers(401, 403, 404, 409, 503),
                   route_class=StrictQueryRoute)


@router.get("/extension-requests", response_model=ExtensionRequestsPublic)
async def list_extension_requests(app: App, actor: Leader,
                                  state: Literal["pending", "approved", "refused"] | None = "pending",
                                  limit: Annotated[int, Query(ge=1, le=200)] = 100) -> ExtensionRequestsPublic:
    rows = await app.handle(oversight.ListExtensionRequests(actor, state, limit))
    return ExtensionRequestsPublic(items=[ExtensionRequestPublic(**row) for row in rows])


@router.post("/extension-requests/{request_id}/decision", response_model=ExtensionRequestPublic)
async def decide_extension(request_id: Annotated[int, Path(ge=1, le=2**62)], body: ExtensionDecision, app: App,
                           actor: Leader) -> ExtensionRequestPublic:
    decided = await app.handle(oversight.DecideExtension(actor, request_id, body.approve, body.note))
    return ExtensionRequestPublic(**decided)


@router.post("/cases/{case_id}/objection/decision", response_model=CaseDetail)
async def decide_objection(case_id: str, body: ObjectionDecision, app: App, actor: Leader) -> CaseDetail:
    """Transfer the case to the right owner (and handler), or overrule the objection."""
    return CaseDetail(**await app.handle(oversight.DecideObjection(
        actor, case_id, body.decision, body.reason, body.owner_cadre_id, body.handler_cadre_id)))


@router.get("/alerts", response_model=AlertsPublic)
async def list_alerts(app: App, actor: Watcher, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> AlertsPublic:
    return AlertsPublic(items=[AlertPublic(**row) for row in await app.handle(oversight.ListAlerts(actor, limit))])


@router.post("/cases/{case_id}/pause", response_model=CaseDetail)
async def pause(case_id: str, body: ReasonCreate, app: App, actor: Leader) -> CaseDetail:
    """A leader above the owner and handler stops the clock, with the reason."""
    return CaseDetail(**await app.handle(lifecycle.PauseCase(actor, case_id, body.reason)))


@router.post("/cases/{case_id}/resume", response_model=CaseDetail)
async def resume(case_id: str, app: App, actor: Leader, body: Empty | None = None) -> CaseDetail:
    return CaseDetail(**await app.handle(lifecycle.ResumeCase(actor, case_id)))


@router.post("/cases/{case_id}/review/decision", response_model=CaseDetail)
async def decide_review(case_id: str, body: DecisionCreate, app: App, actor: Leader) -> CaseDetail:
    """复查 (Art. 35), decided above the owner."""
    return CaseDetail(**await app.handle(lifecycle.DecideReviewOf(actor, case_id, body.decision)))


@router.post("/cases/{case_id}/re-review/decision", response_model=CaseDetail)
async def decide_re_review(case_id: str, body: DecisionCreate, app: App, actor: Leader) -> CaseDetail:
    """复核 (Art. 36), decided above the reviewer; final."""
    return CaseDetail(**await app.handle(lifecycle.DecideReviewOf(actor, case_id, body.decision, re_review=True)))
