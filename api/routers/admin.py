"""Administration: roster import (JSON, CSV, XLSX), whereabouts, tokens, password logins and
the audit log."""
from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, File, Path, Query, Response, UploadFile, status

from api.deps import Admin, App, CurrentActor
from api.problems import unprocessable
from api.schemas.admin import AuditEntry, AuditPublic, RosterImported, WhereaboutsPublic, WhereaboutsUpdate
from api.schemas.auth import LoginAccountCreate, TokenCreate, TokenIssued, TokenPublic, TokensPublic
from api.schemas.problems import answers
from api.strict import StrictQueryRoute
from infra.roster_files import RosterFileProblem, read_roster_bytes
from infra.services.administration import ImportRoster, ReadAudit, SetWhereabouts

router = APIRouter(prefix="/api/v1", tags=["admin"], responses=answers(401, 403, 404, 413),
                   route_class=StrictQueryRoute)
CadrePath = Annotated[str, Path(min_length=1, max_length=64)]


@router.post("/admin/roster", response_model=RosterImported)
async def upload_roster(app: App, actor: Admin, file: Annotated[UploadFile, File()]) -> RosterImported:
    name = file.filename or "roster"
    data = await file.read()
    try:
        document = json.loads(data) if name.lower().endswith(".json") else read_roster_bytes(data, name)
        if not isinstance(document, dict):
            raise RosterFileProblem(f"{name}: expected an object with units, cadres and in_charge")
    except (RosterFileProblem, ValueError) as error:
        raise unprocessable("file", str(error)) from None
    roster = await app.handle(ImportRoster(actor, document, f"upload {name}"))
    return RosterImported(units=len(roster.units), cadres=len(roster.cadres), source=name)


@router.put("/cadres/{cadre_id}/whereabouts", response_model=WhereaboutsPublic)
async def put_whereabouts(cadre_id: CadrePath, body: WhereaboutsUpdate, app: App,
                          actor: CurrentActor) -> WhereaboutsPublic:
    """The whereabouts sign (去向牌): an admin, or the cadre themselves."""
    return WhereaboutsPublic(**await app.handle(SetWhereabouts(actor, cadre_id, body.status, body.until)))


@router.post("/admin/tokens", response_model=TokenIssued, status_code=status.HTTP_201_CREATED)
async def issue_token(body: TokenCreate, app: App, actor: Admin) -> TokenIssued:
    token, token_id = await app.access.issue_token(actor, role=body.role, cadre_id=body.cadre_id, days=body.days,
                                                   label=body.label)
    return TokenIssued(token=token, token_id=token_id)


@router.get("/admin/tokens", response_model=TokensPublic)
async def tokens(app: App, actor: Admin, include_revoked: bool = False) -> TokensPublic:
    return TokensPublic(items=[TokenPublic(**row) for row in await app.access.tokens(actor, include_revoked=include_revoked)])


@router.delete("/admin/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke(token_id: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")], app: App, actor: Admin) -> Response:
    await app.access.revoke(actor, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/admin/logins", status_code=status.HTTP_204_NO_CONTENT)
async def create_login(body: LoginAccountCreate, app: App, actor: Admin) -> Response:
    await app.access.set_login(actor, username=body.username, password=body.password, role=body.role,
                               cadre_id=body.cadre_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/admin/audit", response_model=AuditPublic)
async def audit_log(app: App, actor: Admin, case_id: Annotated[str | None, Query(max_length=36)] = None,
                    cadre_id: Annotated[str | None, Query(max_length=64)] = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 100,
                    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> AuditPublic:
    rows = await app.handle(ReadAudit(actor, limit, offset, case_id, cadre_id))
    return AuditPublic(items=[AuditEntry(**row) for row in rows])
