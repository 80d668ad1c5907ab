"""FastAPI dependencies: the app's services, the clock, the caller and what they may see."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.auth.scope import is_leader, scope_for
from infra.db.case_queries import Scope
from infra.roster_cache import NoRosterYet, RosterCache
from infra.tokens import Principal, principal_for
from models.roster import Roster


@dataclass(frozen=True)
class ApiServices:
    engine: AsyncEngine
    clock: Callable[[], datetime]
    kafka_bootstrap: str
    topic_prefix: str = ""
    rosters: RosterCache = field(default=None)  # type: ignore[assignment]  # built from the engine when absent

    def __post_init__(self) -> None:
        if self.rosters is None:
            object.__setattr__(self, "rosters", RosterCache(self.engine))

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"


def services(request: Request) -> ApiServices:
    return request.app.state.services  # type: ignore[no-any-return]


Services = Annotated[ApiServices, Depends(services)]
_bearer = HTTPBearer(auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, message, headers={"WWW-Authenticate": "Bearer"})


def client_address(request: Request) -> str:
    """Where the request came from (behind a proxy: what uvicorn's proxy headers say)."""
    return request.client.host if request.client else "unknown"


async def current_principal(svc: Services, credentials: Credentials, request: Request) -> Principal:
    if credentials is None:
        raise _unauthorized("a bearer token is required")
    async with svc.engine.connect() as conn:
        principal = await principal_for(conn, credentials.credentials, svc.clock())
    if principal is None:
        raise _unauthorized("the token is unknown, expired or revoked")
    return replace(principal, address=client_address(request))  # the audit log says from where


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def current_roster(svc: Services) -> Roster:
    try:
        return await svc.rosters.current()
    except NoRosterYet as error:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(error)) from None


CurrentRoster = Annotated[Roster, Depends(current_roster)]


@dataclass(frozen=True)
class Caller:
    """The principal, the roster they are judged by, and the cases in their reach."""
    principal: Principal
    roster: Roster
    scope: Scope

    @property
    def role(self) -> str:
        return self.principal.role

    @property
    def cadre_id(self) -> str | None:
        return self.principal.cadre_id

    @property
    def is_leader(self) -> bool:
        return is_leader(self.principal, self.roster)


async def current_caller(principal: CurrentPrincipal, roster: CurrentRoster) -> Caller:
    return Caller(principal, roster, scope_for(principal, roster))


CurrentCaller = Annotated[Caller, Depends(current_caller)]


def roles(*allowed: str) -> Callable[[Caller], Caller]:
    def check(caller: CurrentCaller) -> Caller:
        if caller.role not in allowed:
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                f"role {caller.role!r} cannot do this; allowed: {', '.join(allowed)}")
        return caller
    return check


OperatorCaller = Annotated[Caller, Depends(roles("operator", "petition_staff"))]
CadreCaller = Annotated[Caller, Depends(roles("cadre", "leader", "petition_staff"))]
LeaderCaller = Annotated[Caller, Depends(roles("leader"))]


def admin_only(principal: CurrentPrincipal) -> Principal:
    """Admins need no roster (they import the first one)."""
    if principal.role != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"role {principal.role!r} cannot do this; allowed: admin")
    return principal


AdminPrincipal = Annotated[Principal, Depends(admin_only)]
ReaderCaller = Annotated[Caller, Depends(roles("operator", "cadre", "leader", "petition_staff", "admin"))]
