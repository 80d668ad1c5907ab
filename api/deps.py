"""FastAPI dependencies: the app's services, the clock and the caller."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Callable

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.tokens import Principal, principal_for


@dataclass(frozen=True)
class ApiServices:
    engine: AsyncEngine
    clock: Callable[[], datetime]
    kafka_bootstrap: str


def services(request: Request) -> ApiServices:
    return request.app.state.services  # type: ignore[no-any-return]


Services = Annotated[ApiServices, Depends(services)]
_bearer = HTTPBearer(auto_error=False)


async def current_principal(
    svc: Services, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a bearer token is required",
                            headers={"WWW-Authenticate": "Bearer"})
    async with svc.engine.connect() as conn:
        principal = await principal_for(conn, credentials.credentials, svc.clock())
    if principal is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "the token is unknown, expired or revoked",
                            headers={"WWW-Authenticate": "Bearer"})
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
