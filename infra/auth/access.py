"""Who is calling: bearer tokens and password logins, for the edges. Each operation owns
its transaction (a failed login must count even though the answer is a refusal), so this
family is a small service object over the token and login stores rather than unit-of-work
use cases; its refusals are the service layer's errors like every other's."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from infra.auth.logins import LoginRefused, Session, log_in, set_password
from infra.auth.tokens_admin import list_tokens, revoke_token, token_id
from infra.services.errors import Forbidden, Invalid, LoginFailed, NotFound
from infra.tokens import create_token, principal_for
from models.access import NEEDS_CADRE, Actor, Capability, role_of
from models.errors import DomainError


class Access:
    def __init__(self, engine: AsyncEngine, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._clock = clock
        # Every request looks its token up: one row by primary key, complete in itself, so it
        # needs no transaction of its own — four round trips (the pool's ping: BEGIN, `;`,
        # ROLLBACK; the select) instead of six. Round trips are the largest share of the
        # API's CPU per request (bench/README.md).
        self._lookup = engine.execution_options(isolation_level="AUTOCOMMIT")

    async def authenticate(self, token: str, *, address: str | None = None) -> Actor | None:
        async with self._lookup.connect() as conn:
            principal = await principal_for(conn, token, self._clock())
        if principal is None:
            return None
        return Actor(role_of(principal.role), principal.cadre_id, token_id=principal.token_id,
                     username=principal.username, address=address)

    async def log_in(self, username: str, password: str, *, address: str) -> Session:
        """`address`: the client's; throttling is by address and by user, so it is required."""
        try:
            return await log_in(self._engine, username, password, self._clock(), address=address)
        except LoginRefused as refusal:
            raise LoginFailed(str(refusal), refusal.retry_after) from None

    async def log_out(self, actor: Actor, token: str) -> None:
        await revoke_token(self._engine, token, self._clock(), raw=True, by=actor, reason="logout")

    async def issue_token(self, actor: Actor, *, role: str, cadre_id: str | None, days: int,
                          label: str | None) -> tuple[str, str]:
        """(token, token id): the token is shown once, only its hash is kept."""
        _administer(actor)
        try:
            _valid_role(role, cadre_id)
            async with self._engine.begin() as conn:
                token = await create_token(conn, role=role, cadre_id=cadre_id, now=self._clock(),
                                           ttl=timedelta(days=days), label=label, issued_by=actor)
        except ValueError as error:
            raise Invalid("cadre_id", str(error), code="token.refused") from None
        return token, token_id(token)

    async def tokens(self, actor: Actor, *, include_revoked: bool) -> list[dict[str, Any]]:
        _administer(actor)
        return await list_tokens(self._engine, include_revoked=include_revoked)

    async def revoke(self, actor: Actor, token_sha256: str) -> None:
        _administer(actor)
        if not await revoke_token(self._engine, token_sha256, self._clock(), by=actor):
            raise NotFound(f"no active token {token_sha256}", code="token.unknown")

    async def set_login(self, actor: Actor, *, username: str, password: str, role: str, cadre_id: str | None) -> None:
        _administer(actor)
        _valid_role(role, cadre_id)
        try:
            await set_password(self._engine, username=username, password=password, role=role, cadre_id=cadre_id,
                               now=self._clock(), by=actor)
        except ValueError as error:
            raise Invalid("password", str(error), code="login.invalid") from None


def _administer(actor: Actor) -> None:
    if not actor.can(Capability.ADMINISTER):
        raise Forbidden(f"role {actor.role.value!r} cannot do this; allowed: admin", code="access.denied")


def _valid_role(role: str, cadre_id: str | None) -> None:
    try:
        parsed = role_of(role)
    except DomainError as error:
        raise Invalid("role", str(error), code=error.code, params=error.params) from None
    if parsed in NEEDS_CADRE and not cadre_id:
        raise Invalid("cadre_id", f"a {role} login needs its cadre", code="access.cadre_required",
                      params={"role": role})
