"""Listing and revoking bearer tokens (their id is the stored SHA-256, never the token)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.db import audit
from infra.db.tables import api_tokens
from infra.db.audit import Agent
from infra.tokens import token_id
from models.audit import TOKEN_REVOKED

__all__ = ["list_tokens", "revoke_token", "token_id"]


async def list_tokens(engine: AsyncEngine, *, include_revoked: bool = False, limit: int = 200) -> list[dict[str, Any]]:
    query = select(api_tokens).order_by(api_tokens.c.created_at.desc()).limit(limit)
    if not include_revoked:
        query = query.where(api_tokens.c.revoked_at.is_(None))
    async with engine.connect() as conn:
        return [{**row._mapping, "token_id": row.token_sha256} for row in await conn.execute(query)]


async def revoke_token(engine: AsyncEngine, token: str, now: datetime, *, raw: bool = False,
                       by: Agent | None = None, reason: str = "revoked") -> bool:
    """Revoke by token id (or, with `raw`, by the token itself). False if there was none to
    revoke. With `by`, who revoked it is audited."""
    digest = token_id(token) if raw else token
    async with engine.begin() as conn:
        result = await conn.execute(api_tokens.update().where(api_tokens.c.token_sha256 == digest,
                                                              api_tokens.c.revoked_at.is_(None)).values(revoked_at=now))
        if result.rowcount and by is not None:
            await audit.record(conn, at=now, who=by, action=TOKEN_REVOKED, tokens=[digest], reason=reason)
    return bool(result.rowcount)
