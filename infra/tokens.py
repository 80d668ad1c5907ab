"""Bearer tokens: random, shown once, stored only as a SHA-256 hash (which is also the
token's id), revocable, and always expiring — within `MAX_LIFETIME`."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db import audit
from infra.db.audit import Agent
from infra.db.tables import api_tokens
from models.access import NEEDS_CADRE, Actor, Role
from models.audit import TOKEN_CREATED, TOKEN_REVOKED

ROLES = tuple(role.value for role in Role)
DEFAULT_LIFETIME = timedelta(days=90)
MAX_LIFETIME = timedelta(days=365)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the role and cadre a token grants, the token's id, the login that
    obtained it, and (filled in by the edge) the address the request came from."""
    role: str
    cadre_id: str | None
    token_id: str | None = None
    username: str | None = None
    address: str | None = None


# Whoever runs the command line on the server acts as an admin; the audit log says so.
CONSOLE = Actor(Role.ADMIN, username="console", address="local")


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_lifetime(ttl: timedelta) -> None:
    if ttl <= timedelta(0):
        raise ValueError("a token needs a lifetime of at least a day (--days 1 or more): none lives forever")
    if ttl > MAX_LIFETIME:
        raise ValueError(f"a token lives at most {MAX_LIFETIME.days} days: issue a new one when it runs out")


async def create_token(conn: AsyncConnection, *, role: str, cadre_id: str | None, now: datetime,
                       ttl: timedelta = DEFAULT_LIFETIME,
                       label: str | None = None, username: str | None = None,
                       issued_by: Agent | None = None) -> str:
    """Issue a token. With `issued_by` (an admin, the console) the issue is audited;
    a login's own session token is audited as the login."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    if Role(role) in NEEDS_CADRE and not cadre_id:
        raise ValueError(f"a {role} token must name the cadre it belongs to (--cadre ID)")
    check_lifetime(ttl)
    token = "mq_" + secrets.token_urlsafe(32)
    await conn.execute(api_tokens.insert().values(
        token_sha256=token_id(token), role=role, cadre_id=cadre_id, label=label, created_at=now,
        expires_at=now + ttl, username=username))
    if issued_by is not None:
        await audit.record(conn, at=now, who=issued_by, action=TOKEN_CREATED, token=token_id(token), role=role,
                           cadre_id=cadre_id, expires_at=(now + ttl).isoformat(), label=label)
    return token


async def principal_for(conn: AsyncConnection, token: str, now: datetime) -> Principal | None:
    row = (await conn.execute(select(api_tokens).where(api_tokens.c.token_sha256 == token_id(token)))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    return Principal(role=row.role, cadre_id=row.cadre_id, token_id=row.token_sha256, username=row.username)


async def revoke_tokens_of(conn: AsyncConnection, now: datetime, *, cadre_ids: Sequence[str] = (),
                           usernames: Sequence[str] = (), by: Agent, reason: str) -> int:
    """Revoke every live token of these cadres and of tokens obtained by these logins; audited."""
    if not cadre_ids and not usernames:
        return 0
    result = await conn.execute(
        api_tokens.update()
        .where(or_(api_tokens.c.cadre_id.in_(list(cadre_ids)), api_tokens.c.username.in_(list(usernames))),
               api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=now).returning(api_tokens.c.token_sha256))
    revoked = sorted(row[0] for row in result)
    if revoked:
        await audit.record(conn, at=now, who=by, action=TOKEN_REVOKED, tokens=revoked, reason=reason,
                           cadre_ids=sorted(cadre_ids), usernames=sorted(usernames))
    return len(revoked)
