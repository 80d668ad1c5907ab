"""The cadre's work: the inbox by nearest deadline, and the actions on a case they own or
handle — accept, contact, progress, reply, extension request, objection, delegation."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import App, Worker
from api.schemas.actions import (ContactCreate, DeclineCreate, DelegateCreate, Empty, ExtensionRequestCreate,
                                 NoteCreate, ObjectionCreate, ReplyCreate)
from api.schemas.cases import AFTER, CaseDetail, CasesPublic
from api.schemas.leader import ExtensionRequestPublic
from api.schemas.problems import answers
from api.strict import StrictQueryRoute
from infra.services import casework as work
from infra.services.lifecycle import DeclineMatter
from infra.services.oversight import RequestExtension
from infra.services.reads import Inbox

router = APIRouter(prefix="/api/v1", tags=["cadre"], responses=answers(401, 403, 404, 409, 413, 503),
                   route_class=StrictQueryRoute)


@router.get("/inbox", response_model=CasesPublic)
async def inbox(app: App, actor: Worker, include_closed: bool = False,
                limit: Annotated[int, Query(ge=1, le=200)] = 50,
                offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
                q: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
                sent_back: bool | None = None,
                after: Annotated[str | None, Query(max_length=512, description=AFTER)] = None) -> CasesPublic:
    page = await app.handle(Inbox(actor, include_closed, limit, offset, q, sent_back, after))
    return CasesPublic(items=page.items, total=page.total, limit=limit, offset=offset, q=q,
                       next_cursor=page.next_cursor)


@router.post("/cases/{case_id}/accept", response_model=CaseDetail)
async def accept(case_id: str, app: App, actor: Worker, body: Empty | None = None) -> CaseDetail:
    return CaseDetail(**await app.handle(work.AcceptCase(actor, case_id)))


@router.post("/cases/{case_id}/contact", response_model=CaseDetail)
async def contact(case_id: str, body: ContactCreate, app: App, actor: Worker) -> CaseDetail:
    """Contact with the petitioner; the first contact of an assigned case is its acceptance."""
    return CaseDetail(**await app.handle(work.ContactPetitioner(actor, case_id, body.channel, body.note)))


@router.post("/cases/{case_id}/progress", response_model=CaseDetail)
async def progress(case_id: str, body: NoteCreate, app: App, actor: Worker) -> CaseDetail:
    return CaseDetail(**await app.handle(work.RecordProgress(actor, case_id, body.note)))


@router.post("/cases/{case_id}/reply", response_model=CaseDetail)
async def reply(case_id: str, body: ReplyCreate, app: App, actor: Worker) -> CaseDetail:
    return CaseDetail(**await app.handle(work.ReplyToPetitioner(actor, case_id, body.text)))


@router.post("/cases/{case_id}/objection", response_model=CaseDetail)
async def object_(case_id: str, body: ObjectionCreate, app: App, actor: Worker) -> CaseDetail:
    """Art. 23: the case is not ours — within 5 working days of the assignment."""
    return CaseDetail(**await app.handle(work.ObjectToCase(actor, case_id, body.reason)))


@router.post("/cases/{case_id}/decline", response_model=CaseDetail)
async def decline(case_id: str, body: DeclineCreate, app: App, actor: Worker) -> CaseDetail:
    """不予受理 (Art. 23): the matter is not accepted, with the reason and the written notice."""
    return CaseDetail(**await app.handle(DeclineMatter(actor, case_id, body.reason, body.notice)))


@router.post("/cases/{case_id}/delegate", response_model=CaseDetail)
async def delegate(case_id: str, body: DelegateCreate, app: App, actor: Worker) -> CaseDetail:
    return CaseDetail(**await app.handle(work.DelegateCase(actor, case_id, body.handler_cadre_id)))


@router.post("/cases/{case_id}/extension-requests", response_model=ExtensionRequestPublic,
             status_code=status.HTTP_201_CREATED)
async def request_extension(case_id: str, body: ExtensionRequestCreate, app: App, actor: Worker) -> ExtensionRequestPublic:
    return ExtensionRequestPublic(**await app.handle(RequestExtension(actor, case_id, body.days, body.reason)))
