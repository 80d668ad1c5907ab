"""Administration: roster import (JSON, CSV, XLSX), whereabouts, the category catalogue and
time limits, tokens, password logins and the audit log of unmasked views."""
from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Path, Query, Response, UploadFile, status

from api.deps import AdminPrincipal, CurrentPrincipal, CurrentRoster, Services
from api.schemas.admin import AuditEntry, AuditPublic, RosterImported, WhereaboutsPublic, WhereaboutsUpdate
from api.schemas.auth import LoginAccountCreate, TokenCreate, TokenIssued, TokenPublic, TokensPublic
from api.problems import unprocessable
from api.schemas.problems import answers
from infra.auth.logins import set_password
from infra.auth.tokens_admin import list_tokens, revoke_token, token_id
from infra.db import audit, roster_repo
from infra.roster_files import RosterFileProblem, read_roster_bytes
from infra.roster_import import import_roster
from infra.tokens import create_token
from models.errors import RosterError

router = APIRouter(prefix="/api/v1", tags=["admin"], responses=answers(401, 403, 404, 413))
CadrePath = Annotated[str, Path(min_length=1, max_length=64)]


@router.post("/admin/roster", response_model=RosterImported)
async def upload_roster(svc: Services, principal: AdminPrincipal, file: Annotated[UploadFile, File()]) -> RosterImported:
    name = file.filename or "roster"
    data = await file.read()
    try:
        document = json.loads(data) if name.lower().endswith(".json") else read_roster_bytes(data, name)
        if not isinstance(document, dict):
            raise RosterFileProblem(f"{name}: expected an object with units, cadres and in_charge")
        roster = await import_roster(svc.engine, document, f"upload {name}", svc.clock(), by=principal)
    except (RosterFileProblem, ValueError) as error:
        raise unprocessable("file", str(error)) from None
    except RosterError as error:
        raise unprocessable("file", str(error)) from None
    svc.rosters.invalidate()
    return RosterImported(units=len(roster.units), cadres=len(roster.cadres), source=name)


@router.put("/cadres/{cadre_id}/whereabouts", response_model=WhereaboutsPublic)
async def put_whereabouts(cadre_id: CadrePath, body: WhereaboutsUpdate, svc: Services,
                          principal: CurrentPrincipal, roster: CurrentRoster) -> WhereaboutsPublic:
    """The whereabouts sign (去向牌): an admin, or the cadre themselves."""
    if principal.role != "admin" and principal.cadre_id != cadre_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only an admin or the cadre themselves sets whereabouts")
    if not roster.has_cadre(cadre_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no cadre {cadre_id}")
    async with svc.engine.begin() as conn:
        await roster_repo.set_whereabouts(conn, cadre_id, body.status, body.until, svc.clock())
    svc.rosters.invalidate()
    return WhereaboutsPublic(cadre_id=cadre_id, status=body.status, until=body.until)


@router.post("/admin/tokens", response_model=TokenIssued, status_code=status.HTTP_201_CREATED)
async def issue_token(body: TokenCreate, svc: Services, principal: AdminPrincipal) -> TokenIssued:
    try:
        async with svc.engine.begin() as conn:
            token = await create_token(conn, role=body.role, cadre_id=body.cadre_id, now=svc.clock(),
                                       ttl=timedelta(days=body.days), label=body.label, issued_by=principal)
    except ValueError as error:
        raise unprocessable("cadre_id", str(error)) from None
    return TokenIssued(token=token, token_id=token_id(token))


@router.get("/admin/tokens", response_model=TokensPublic)
async def tokens(svc: Services, principal: AdminPrincipal, include_revoked: bool = False) -> TokensPublic:
    return TokensPublic(items=[TokenPublic(**row) for row in await list_tokens(svc.engine, include_revoked=include_revoked)])


@router.delete("/admin/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke(token_id: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")], svc: Services,
                 principal: AdminPrincipal) -> Response:
    if not await revoke_token(svc.engine, token_id, svc.clock(), by=principal):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no active token {token_id}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/admin/logins", status_code=status.HTTP_204_NO_CONTENT)
async def create_login(body: LoginAccountCreate, svc: Services, principal: AdminPrincipal) -> Response:
    if body.role not in ("admin", "operator") and not body.cadre_id:
        raise unprocessable("cadre_id", f"a {body.role} login needs its cadre")
    await set_password(svc.engine, username=body.username, password=body.password, role=body.role,
                       cadre_id=body.cadre_id, now=svc.clock(), by=principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/admin/audit", response_model=AuditPublic)
async def audit_log(svc: Services, principal: AdminPrincipal,
                    case_id: Annotated[str | None, Query(max_length=36)] = None,
                    cadre_id: Annotated[str | None, Query(max_length=64)] = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 100,
                    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> AuditPublic:
    async with svc.engine.connect() as conn:
        rows = await audit.recent(conn, limit=limit, offset=offset, case_id=case_id, cadre_id=cadre_id)
    return AuditPublic(items=[AuditEntry(**row) for row in rows])
