"""The leader's desk: extension approvals, objection decisions and early warnings. Overdue
and escalated cases: `GET /api/v1/cases?overdue=true` and `?escalated=true` (same scope)."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api.deps import App, Leader, Watcher
from api.schemas.actions import ExtensionDecision, ObjectionDecision
from api.schemas.cases import CaseDetail
from api.schemas.leader import AlertPublic, AlertsPublic, ExtensionRequestPublic, ExtensionRequestsPublic
from api.schemas.problems import answers
from infra.services import oversight

router = APIRouter(prefix="/api/v1", tags=["leader"], responses=answers(401, 403, 404, 409, 503))


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
