"""Logging in with a password (a bearer token comes back) and out (the token is revoked)."""
from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from api.deps import App, Credentials, CurrentActor
from api.schemas.auth import LoginCreate, SessionPublic
from api.schemas.problems import answers
from api.strict import StrictQueryRoute

router = APIRouter(route_class=StrictQueryRoute, prefix="/api/v1/auth", tags=["auth"], responses=answers(401, 429))


@router.post("/login", response_model=SessionPublic)
async def login(body: LoginCreate, app: App, request: Request) -> SessionPublic:
    address = request.client.host if request.client else "unknown"  # throttling and the audit log need it
    session = await app.access.log_in(body.username, body.password, address=address)
    return SessionPublic(access_token=session.token, role=session.role, cadre_id=session.cadre_id,
                         expires_at=session.expires_at)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(app: App, actor: CurrentActor, credentials: Credentials) -> Response:
    if credentials is not None:
        await app.access.log_out(actor, credentials.credentials)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
