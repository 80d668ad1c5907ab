"""Password logins (argon2id via argon2-cffi) that issue ordinary bearer tokens.

No login is ever locked by failures; attempts are throttled by address and by user
(`models.login_throttle` says how and why). Unknown usernames and wrong passwords get the
same answer, and a hash is verified either way so the two take the same time. Every
attempt that reaches the password check is audited; setting a password again (a reset)
revokes every token of that login and of its cadre.
"""
from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infra.auth.throttle import recent_attempts, record_attempt
from infra.db import audit
from infra.db.audit import Agent
from infra.db.tables import logins
from infra.tokens import ROLES, create_token, revoke_tokens_of
from models.audit import LOGIN, LOGIN_REFUSED, LOGIN_REMOVED, LOGIN_SET, Who, mask_term
from models.login_throttle import ThrottlePolicy, throttle

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
                       now: datetime, by: Agent, demo: bool = False) -> None:
    """Create or replace a login. Replacing is a reset: the login's sessions and every token
    of its cadre (before and after) are revoked. Audited. For the CLI and the admin API."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise ValueError("a password needs at least 10 characters")
    digest = await asyncio.to_thread(_hasher.hash, password)
    async with engine.begin() as conn:
        before = (await conn.execute(select(logins).where(logins.c.username == username).with_for_update())).first()
        statement = insert(logins).values(username=username, password_hash=digest, role=role, cadre_id=cadre_id,
                                          created_at=now, demo=demo)
        await conn.execute(statement.on_conflict_do_update(
            index_elements=[logins.c.username],
            set_={"password_hash": digest, "role": role, "cadre_id": cadre_id, "disabled_at": None, "demo": demo}))
        if before is not None:
            cadres = sorted({c for c in (before.cadre_id, cadre_id) if c})
            await revoke_tokens_of(conn, now, cadre_ids=cadres, usernames=[username], by=by, reason="password reset")
        await audit.record(conn, at=now, who=by, action=LOGIN_SET, login=username, role=role, cadre_id=cadre_id,
                           reset=before is not None)


async def add_demo_password(engine: AsyncEngine, *, username: str, password: str, role: str, cadre_id: str,
                            now: datetime, by: Agent) -> bool:
    """A demo login, unless that login exists already (then nothing changes, nothing is
    revoked: `minqing up --demo` runs this at every start)."""
    async with engine.connect() as conn:
        if (await conn.execute(select(logins.c.username).where(logins.c.username == username))).first():
            return False
    await set_password(engine, username=username, password=password, role=role, cadre_id=cadre_id, now=now, by=by,
                       demo=True)
    return True


async def remove_logins(conn: AsyncConnection, now: datetime, *, cadre_ids: Sequence[str] = (),
                        demo: bool = False, by: Agent, reason: str) -> list[str]:
    """Disable the logins of these cadres (or, with `demo`, every demo login) and revoke
    their tokens. Returns the usernames."""
    condition = logins.c.demo if demo else logins.c.cadre_id.in_(list(cadre_ids))
    result = await conn.execute(logins.update().where(condition, logins.c.disabled_at.is_(None))
                                .values(disabled_at=now).returning(logins.c.username, logins.c.cadre_id))
    removed = result.all()
    usernames = sorted(row.username for row in removed)
    if usernames:
        await revoke_tokens_of(conn, now, usernames=usernames, cadre_ids=list(cadre_ids), by=by, reason=reason)
        await audit.record(conn, at=now, who=by, action=LOGIN_REMOVED, logins=usernames, reason=reason)
    return usernames


async def log_in(engine: AsyncEngine, username: str, password: str, now: datetime, *, address: str,
                 policy: ThrottlePolicy = ThrottlePolicy()) -> Session:
    """A session token, or LoginRefused (with `retry_after` when throttled). `address` is
    the client's: throttling depends on it, so there is no default."""
    username, address = username[:64], (address or "unknown")[:64]
    async with engine.begin() as conn:
        throttled = throttle(await recent_attempts(conn, username, address, now, policy), now, policy)
    if throttled is not None:
        raise LoginRefused(f"{throttled.reason}: try again in {throttled.retry_after} seconds", throttled.retry_after)
    token: str | None = None
    async with engine.begin() as conn:  # a refusal is raised after the commit: failures must count
        row = (await conn.execute(select(logins).where(logins.c.username == username))).first()
        matches = await asyncio.to_thread(_verify, row.password_hash if row else _DUMMY, password)
        succeeded = row is not None and matches and row.disabled_at is None
        await record_attempt(conn, username, address, now, succeeded)
        # An unknown "username" is often a password typed in the wrong box: audited masked.
        who = Who(role=row.role if row else "unknown", cadre_id=row.cadre_id if row else None,
                  username=username if row else mask_term(username), address=address)
        await audit.record(conn, at=now, who=who, action=LOGIN if succeeded else LOGIN_REFUSED)
        if succeeded:
            token = await create_token(conn, role=row.role, cadre_id=row.cadre_id, now=now, ttl=SESSION_TTL,
                                       label=f"login {username}", username=username)
    if token is None or row is None:
        raise LoginRefused("unknown username or wrong password")
    return Session(token, row.role, row.cadre_id, now + SESSION_TTL)
