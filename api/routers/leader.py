"""The leader's desk: extension approvals, objection decisions, early warnings and the three
rates by village and by cadre. Overdue and escalated cases: `GET /api/v1/cases?overdue=true`
and `?escalated=true` (same scope)."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, status
from sqlalchemy import select

from api.acting import act, not_found, visible_row
from api.answers import case_now
from api.deps import LeaderCaller, Services
from api.schemas.actions import ExtensionDecision, ObjectionDecision
from api.schemas.cases import CaseDetail
from api.schemas.leader import AlertPublic, AlertsPublic, ExtensionRequestPublic, ExtensionRequestsPublic
from api.problems import unprocessable
from api.schemas.problems import answers
from infra.db import case_queries
from infra.db.tables import alerts, cases, extension_requests
from models.oversight import Extend, Overrule, Transfer

router = APIRouter(prefix="/api/v1", tags=["leader"], responses=answers(401, 403, 404, 409, 503))


def _require_leader(caller: LeaderCaller) -> None:
    if not caller.is_leader:
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"cadre {caller.cadre_id} is not a township leader")


@router.get("/extension-requests", response_model=ExtensionRequestsPublic)
async def list_extension_requests(svc: Services, caller: LeaderCaller,
                                  state: Literal["pending", "approved", "refused"] | None = "pending",
                                  limit: Annotated[int, Query(ge=1, le=200)] = 100) -> ExtensionRequestsPublic:
    query = (select(extension_requests).join(cases, cases.c.case_id == extension_requests.c.case_id)
             .where(case_queries.visible(caller.scope)).order_by(extension_requests.c.id).limit(limit))
    if state is not None:
        query = query.where(extension_requests.c.status == state)
    async with svc.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    return ExtensionRequestsPublic(items=[ExtensionRequestPublic(**row._mapping) for row in rows])


@router.post("/extension-requests/{request_id}/decision", response_model=ExtensionRequestPublic)
async def decide_extension(request_id: Annotated[int, Path(ge=1, le=2**62)], body: ExtensionDecision, svc: Services,
                           caller: LeaderCaller) -> ExtensionRequestPublic:
    _require_leader(caller)
    async with svc.engine.connect() as conn:
        found = (await conn.execute(select(extension_requests).where(extension_requests.c.id == request_id))).first()
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no extension request {request_id}")
    request = found._mapping
    try:
        await visible_row(svc, caller, request["case_id"])
    except HTTPException:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no extension request {request_id}") from None
    if request["status"] != "pending":
        raise HTTPException(status.HTTP_409_CONFLICT, f"extension request {request_id} was already {request['status']}")
    if body.approve:
        extend = Extend(request["days"], request["reason"], actor=caller.cadre_id or "")
        await act(svc, caller, request["case_id"], lambda case: (extend,))
    async with svc.engine.begin() as conn:
        updated = (await conn.execute(extension_requests.update().where(extension_requests.c.id == request_id)
                                      .values(status="approved" if body.approve else "refused",
                                              decided_by=caller.cadre_id, decided_at=svc.clock(), note=body.note)
                                      .returning(*extension_requests.c))).one()
    return ExtensionRequestPublic(**updated._mapping)


@router.post("/cases/{case_id}/objection/decision", response_model=CaseDetail)
async def decide_objection(case_id: str, body: ObjectionDecision, svc: Services, caller: LeaderCaller) -> CaseDetail:
    """Transfer the case to the right owner (and handler), or overrule the objection."""
    _require_leader(caller)
    await visible_row(svc, caller, case_id)
    if body.decision == "transfer":
        if body.owner_cadre_id is None:
            raise unprocessable("owner_cadre_id", "required to transfer a case")
        action: object = Transfer(body.owner_cadre_id, body.handler_cadre_id or body.owner_cadre_id, body.reason,
                                  actor=caller.cadre_id)
    else:
        action = Overrule(body.reason, actor=caller.cadre_id)
    await act(svc, caller, case_id, lambda case: (action,))  # type: ignore[arg-type,return-value]
    try:
        return await case_now(svc, caller, case_id)
    except HTTPException:
        raise not_found(case_id) from None


@router.get("/alerts", response_model=AlertsPublic)
async def list_alerts(svc: Services, caller: LeaderCaller,
                      limit: Annotated[int, Query(ge=1, le=200)] = 50) -> AlertsPublic:
    query = select(alerts).order_by(alerts.c.raised_at.desc()).limit(limit)
    if not caller.scope.township:
        query = query.where(alerts.c.village_code.in_(sorted(caller.scope.village_codes))
                            | (alerts.c.leader_cadre_id == caller.cadre_id))
    async with svc.engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    return AlertsPublic(items=[AlertPublic(**row._mapping) for row in rows])
