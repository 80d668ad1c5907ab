"""Bearer tokens: random, shown once, stored only as a SHA-256 hash, revocable, expiring."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.tables import api_tokens
from models.access import NEEDS_CADRE, Role

ROLES = tuple(role.value for role in Role)


@dataclass(frozen=True)
class Principal:
    role: str
    cadre_id: str | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(conn: AsyncConnection, *, role: str, cadre_id: str | None, now: datetime,
                       ttl: timedelta | None = timedelta(days=90), label: str | None = None) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    if Role(role) in NEEDS_CADRE and not cadre_id:
        raise ValueError(f"a {role} token must name the cadre it belongs to (--cadre ID)")
    token = "mq_" + secrets.token_urlsafe(32)
    await conn.execute(api_tokens.insert().values(
        token_sha256=_digest(token), role=role, cadre_id=cadre_id, label=label, created_at=now,
        expires_at=now + ttl if ttl else None))
    return token


async def principal_for(conn: AsyncConnection, token: str, now: datetime) -> Principal | None:
    row = (await conn.execute(select(api_tokens).where(api_tokens.c.token_sha256 == _digest(token)))).first()
    if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    return Principal(role=row.role, cadre_id=row.cadre_id)
