"""The hotline operator: log a call (202: stored, relayed to `hotline.calls`, answered with
the owner once routed), look up a caller's earlier cases, record callback results."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import and_

from api import outbox
from api.acting import act, visible_row
from api.answers import case_now
from api.deps import OperatorCaller, ReaderCaller, Services
from api.intake_checks import check_against_roster
from api.intake_answer import accept_event, earlier_cases
from api.schemas.actions import CallbackCreate, Empty
from api.schemas.cases import CallerLookup, CaseDetail, CasesPublic
from api.schemas.intake import CallCreate, EventAccepted
from api.views import case_view
from api.problems import unprocessable
from api.schemas.problems import answers
from infra.db import audit, case_queries, case_repo
from infra.db.tables import cases
from models.audit import CALLER_LOOKUP, mask_term
from models.petitioners import normalise_phone
from models.case_actions import CallbackImpossible, CallbackSatisfied, CallbackUnsatisfied, Close
from models.intake import HotlineCall

router = APIRouter(prefix="/api/v1", tags=["operator"], responses=answers(401, 403, 404, 409, 413, 503))


@router.post("/calls", response_model=EventAccepted, status_code=status.HTTP_202_ACCEPTED)
async def log_call(body: CallCreate, svc: Services, caller: OperatorCaller) -> EventAccepted:
    operator_id = body.operator_id or caller.cadre_id
    if operator_id is None:
        raise unprocessable("operator_id", "required for a token with no cadre")
    check_against_roster(caller.roster, body.village_code, body.category, {"dialed_cadre_id": body.dialed_cadre_id})
    call = HotlineCall.model_validate({**body.model_dump(), "operator_id": operator_id,
                                       "event_id": body.event_id or outbox.new_event_id("call")})
    earlier = await earlier_cases(svc, caller, call.caller.phone)
    return await accept_event(svc, "hotline.calls", call, earlier=earlier)


@router.post("/callers/cases", response_model=CasesPublic)
async def caller_cases(body: CallerLookup, svc: Services, caller: OperatorCaller) -> CasesPublic:
    """A caller's earlier cases, by phone number (an audited look-up of personal data; the
    number goes in the body, never in the URL, and into the audit log only masked)."""
    now = svc.clock()
    phone = normalise_phone(body.phone)
    async with svc.engine.begin() as conn:
        rows, total = await case_queries.list_visible(conn, caller.scope, case_repo.CaseFilter(), now,
                                                      limit=body.limit, offset=body.offset,
                                                      extra=and_(cases.c.petitioner_phone == phone))
        await audit.record(conn, at=now, who=caller.principal, action=CALLER_LOOKUP, phone=mask_term(phone),
                           matches=total)
    return CasesPublic(items=[case_view(row, now) for row in rows], total=total, limit=body.limit,
                       offset=body.offset)


@router.post("/cases/{case_id}/callback", response_model=CaseDetail)
async def record_callback(case_id: str, body: CallbackCreate, svc: Services, caller: OperatorCaller) -> CaseDetail:
    """回访: satisfied → resolved; unsatisfied → back to the handler; unreachable → resolved with the reason."""
    await visible_row(svc, caller, case_id)
    actor = caller.cadre_id
    if body.result == "satisfied":
        action: object = CallbackSatisfied(body.note, True if body.problem_solved is None else body.problem_solved,
                                           actor=actor)
    elif body.result == "unsatisfied":
        action = CallbackUnsatisfied(body.note, bool(body.problem_solved), actor=actor)
    else:
        action = CallbackImpossible(body.note, actor=actor)
    await act(svc, caller, case_id, lambda case: (action,))  # type: ignore[arg-type,return-value]
    return await case_now(svc, caller, case_id)


@router.post("/cases/{case_id}/close", response_model=CaseDetail)
async def close(case_id: str, svc: Services, caller: ReaderCaller, body: Empty | None = None) -> CaseDetail:
    """Close a resolved case: its owner or handler, an operator or petition staff."""
    row = await visible_row(svc, caller, case_id)
    if caller.role not in ("operator", "petition_staff") and caller.cadre_id not in (
            row["owner_cadre_id"], row["handler_cadre_id"]):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only the owner, the handler, operators or petition staff "
                                                       "close a case")
    await act(svc, caller, case_id, lambda case: (Close(actor=caller.cadre_id),))
    return await case_now(svc, caller, case_id)
