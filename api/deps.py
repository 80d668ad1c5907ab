"""FastAPI dependencies: the service layer, the authenticated actor, and what they may do
(one capability table in `models.access`; the use cases check it again)."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from infra.services.app import Minqing
from models.access import CAPABILITIES, Actor, Capability


# Dependencies are `async def` although they never await: FastAPI runs a plain `def` one in
# its thread pool, a thread hop per request for an attribute read or a table look-up.
async def service_layer(request: Request) -> Minqing:
    return request.app.state.minqing  # type: ignore[no-any-return]


App = Annotated[Minqing, Depends(service_layer)]
_bearer = HTTPBearer(auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, message, headers={"WWW-Authenticate": "Bearer"})


async def current_actor(app: App, credentials: Credentials, request: Request) -> Actor:
    if credentials is None:
        raise _unauthorized("a bearer token is required")
    address = request.client.host if request.client else None
    actor = await app.access.authenticate(credentials.credentials, address=address)
    if actor is None:
        raise _unauthorized("the token is unknown, expired or revoked")
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


def needs(capability: Capability) -> Callable[[Actor], Awaitable[Actor]]:
    """An actor who may do this, else 403 before the body is even read."""
    async def check(actor: CurrentActor) -> Actor:
        if not actor.can(capability):
            allowed = sorted(role.value for role, caps in CAPABILITIES.items() if capability in caps)
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                f"role {actor.role.value!r} cannot do this; allowed: {', '.join(allowed)}")
        return actor
    return check


Reader = Annotated[Actor, Depends(needs(Capability.READ_CASES))]
Desk = Annotated[Actor, Depends(needs(Capability.LOG_EVENTS))]
Callbacks = Annotated[Actor, Depends(needs(Capability.RECORD_CALLBACKS))]
Worker = Annotated[Actor, Depends(needs(Capability.WORK_CASES))]
FieldCadre = Annotated[Actor, Depends(needs(Capability.RECORD_FIELD_FORMS))]
Leader = Annotated[Actor, Depends(needs(Capability.DECIDE))]
Watcher = Annotated[Actor, Depends(needs(Capability.SEE_RATES))]
Admin = Annotated[Actor, Depends(needs(Capability.ADMINISTER))]
