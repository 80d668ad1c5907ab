"""Logging in with a password (a bearer token comes back) and out (the token is revoked)."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status

from api.deps import Credentials, CurrentPrincipal, Services, client_address
from api.schemas.auth import LoginCreate, SessionPublic
from api.schemas.problems import answers
from infra.auth.logins import LoginRefused, log_in
from infra.auth.tokens_admin import revoke_token

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=answers(401, 429))


@router.post("/login", response_model=SessionPublic)
async def login(body: LoginCreate, svc: Services, request: Request) -> SessionPublic:
    try:
        session = await log_in(svc.engine, body.username, body.password, svc.clock(), address=client_address(request))
    except LoginRefused as error:
        if error.retry_after is not None:
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, str(error),
                                headers={"Retry-After": str(error.retry_after)}) from None
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(error)) from None
    return SessionPublic(access_token=session.token, role=session.role, cadre_id=session.cadre_id,
                         expires_at=session.expires_at)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(svc: Services, principal: CurrentPrincipal, credentials: Credentials) -> Response:
    if credentials is not None:
        await revoke_token(svc.engine, credentials.credentials, svc.clock(), raw=True, by=principal, reason="logout")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
