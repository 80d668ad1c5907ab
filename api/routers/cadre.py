"""The cadre's work: the inbox by nearest deadline, and the actions on a case they own or
handle — accept, contact, progress, reply, extension request, objection, delegation."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlalchemy import or_, select

from api.acting import ActionRefused, act, require_party, visible_row
from api.answers import case_now
from api.deps import CadreCaller, Services
from api.schemas.actions import (ContactCreate, DelegateCreate, Empty, ExtensionRequestCreate, NoteCreate,
                                 ObjectionCreate, ReplyCreate)
from api.schemas.cases import CaseDetail, CasesPublic
from api.schemas.leader import ExtensionRequestPublic
from api.views import case_view
from api.schemas.problems import answers
from infra.db import case_queries, case_repo
from infra.db.tables import cases, extension_requests
from models.case_actions import Accept, Progress, Reply
from models.lifecycle import CaseStatus, allowed_actions
from models.oversight import Delegate, Object

router = APIRouter(prefix="/api/v1", tags=["cadre"], responses=answers(401, 403, 404, 409, 413, 503))


@router.get("/inbox", response_model=CasesPublic)
async def inbox(svc: Services, caller: CadreCaller, include_closed: bool = False,
                limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> CasesPublic:
    mine = or_(cases.c.owner_cadre_id == caller.cadre_id, cases.c.handler_cadre_id == caller.cadre_id)
    condition = mine if include_closed else mine & cases.c.status.not_in(case_repo.CLOSED_STATUSES)
    now = svc.clock()
    async with svc.engine.connect() as conn:
        rows, total = await case_queries.list_visible(conn, caller.scope, case_repo.CaseFilter(), now, limit=limit,
                                                      offset=offset, by_deadline=True, extra=condition)
    return CasesPublic(items=[case_view(row, now) for row in rows], total=total, limit=limit, offset=offset)


async def _work(svc: Services, caller: CadreCaller, case_id: str, *actions: object, owner_only: bool = False) -> CaseDetail:
    require_party(caller, await visible_row(svc, caller, case_id), owner_only=owner_only)
    await act(svc, caller, case_id, lambda case: actions)  # type: ignore[arg-type,return-value]
    return await case_now(svc, caller, case_id)


@router.post("/cases/{case_id}/accept", response_model=CaseDetail)
async def accept(case_id: str, svc: Services, caller: CadreCaller, body: Empty | None = None) -> CaseDetail:
    return await _work(svc, caller, case_id, Accept(actor=caller.cadre_id))


@router.post("/cases/{case_id}/contact", response_model=CaseDetail)
async def contact(case_id: str, body: ContactCreate, svc: Services, caller: CadreCaller) -> CaseDetail:
    """Contact with the petitioner; the first contact of an assigned case is its acceptance."""
    row = await visible_row(svc, caller, case_id)
    require_party(caller, row)
    note = Progress(f"contacted the petitioner ({body.channel}): {body.note}", actor=caller.cadre_id)
    first = (Accept(actor=caller.cadre_id),) if row["status"] == CaseStatus.ASSIGNED.value else ()
    await act(svc, caller, case_id, lambda case: (*first, note))
    return await case_now(svc, caller, case_id)


@router.post("/cases/{case_id}/progress", response_model=CaseDetail)
async def progress(case_id: str, body: NoteCreate, svc: Services, caller: CadreCaller) -> CaseDetail:
    return await _work(svc, caller, case_id, Progress(body.note, actor=caller.cadre_id))


@router.post("/cases/{case_id}/reply", response_model=CaseDetail)
async def reply(case_id: str, body: ReplyCreate, svc: Services, caller: CadreCaller) -> CaseDetail:
    return await _work(svc, caller, case_id, Reply(body.text, actor=caller.cadre_id))


@router.post("/cases/{case_id}/objection", response_model=CaseDetail)
async def object_(case_id: str, body: ObjectionCreate, svc: Services, caller: CadreCaller) -> CaseDetail:
    """Art. 23: the case is not ours — within 5 working days of the assignment."""
    return await _work(svc, caller, case_id, Object(body.reason, actor=caller.cadre_id))


@router.post("/cases/{case_id}/delegate", response_model=CaseDetail)
async def delegate(case_id: str, body: DelegateCreate, svc: Services, caller: CadreCaller) -> CaseDetail:
    return await _work(svc, caller, case_id, Delegate(body.handler_cadre_id, actor=caller.cadre_id), owner_only=True)


@router.post("/cases/{case_id}/extension-requests", response_model=ExtensionRequestPublic,
             status_code=status.HTTP_201_CREATED)
async def request_extension(case_id: str, body: ExtensionRequestCreate, svc: Services,
                            caller: CadreCaller) -> ExtensionRequestPublic:
    row = await visible_row(svc, caller, case_id)
    require_party(caller, row)
    state = CaseStatus(row["status"])
    if "extend" not in allowed_actions(state):
        raise ActionRefused(f"a case in state '{state}' cannot be extended", state.value)
    async with svc.engine.begin() as conn:
        pending = (await conn.execute(select(extension_requests.c.id).where(
            extension_requests.c.case_id == case_id, extension_requests.c.status == "pending"))).first()
        if pending is not None:
            raise ActionRefused(f"case {case_id} already has a pending extension request", state.value)
        created = (await conn.execute(extension_requests.insert().values(
            case_id=case_id, requested_by=caller.cadre_id, days=body.days, reason=body.reason,
            requested_at=svc.clock(), status="pending").returning(*extension_requests.c))).one()
    return ExtensionRequestPublic(**created._mapping)
