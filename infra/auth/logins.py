"""Password logins (argon2id via argon2-cffi) that issue ordinary bearer tokens.

After `MAX_FAILURES` wrong passwords in a row a login is locked for `LOCK_FOR`; the counter
resets on success. Unknown usernames and wrong passwords get the same answer, and a hash is
verified either way so the two take the same time.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.db.tables import logins
from infra.tokens import ROLES, create_token

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
SESSION_TTL = timedelta(hours=12)
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("not a password anyone has")


class LoginRefused(Exception):
    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Session:
    token: str
    role: str
    cadre_id: str | None
    expires_at: datetime


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def set_password(engine: AsyncEngine, *, username: str, password: str, role: str, cadre_id: str | None,
                       now: datetime) -> None:
    """Create or replace a login (also unlocks it). For the CLI and the admin API."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise ValueError("a password needs at least 10 characters")
    digest = await asyncio.to_thread(_hasher.hash, password)
    statement = insert(logins).values(username=username, password_hash=digest, role=role, cadre_id=cadre_id,
                                      failed_attempts=0, created_at=now)
    async with engine.begin() as conn:
        await conn.execute(statement.on_conflict_do_update(
            index_elements=[logins.c.username],
            set_={"password_hash": digest, "role": role, "cadre_id": cadre_id, "failed_attempts": 0,
                  "locked_until": None, "disabled_at": None}))


async def log_in(engine: AsyncEngine, username: str, password: str, now: datetime) -> Session:
    refusal: LoginRefused | None = None
    async with engine.begin() as conn:  # a refusal is raised after the commit: failures must count
        row = (await conn.execute(select(logins).where(logins.c.username == username).with_for_update())).first()
        if row is not None and row.locked_until is not None and row.locked_until > now:
            wait = int((row.locked_until - now).total_seconds()) + 1
            refusal = LoginRefused(f"too many failed attempts: try again in {wait} seconds", retry_after=wait)
        elif not await asyncio.to_thread(_verify, row.password_hash if row else _DUMMY, password) \
                or row is None or row.disabled_at is not None:
            if row is not None:
                failures = row.failed_attempts + 1
                locked = now + LOCK_FOR if failures >= MAX_FAILURES else None
                await conn.execute(logins.update().where(logins.c.username == username)
                                   .values(failed_attempts=0 if locked else failures, locked_until=locked))
            refusal = LoginRefused("unknown username or wrong password")
        else:
            await conn.execute(logins.update().where(logins.c.username == username)
                               .values(failed_attempts=0, locked_until=None))
            token = await create_token(conn, role=row.role, cadre_id=row.cadre_id, now=now, ttl=SESSION_TTL,
                                       label=f"login {username}")
    if refusal is not None or row is None:
        raise refusal or LoginRefused("unknown username or wrong password")
    return Session(token, row.role, row.cadre_id, now + SESSION_TTL)
