"""The login attempts `models.login_throttle` judges: recorded, counted, forgotten."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.tables import login_attempts as attempts
from models.login_throttle import Failures, RecentAttempts, ThrottlePolicy


async def recent_attempts(conn: AsyncConnection, username: str, address: str, now: datetime,
                          policy: ThrottlePolicy) -> RecentAttempts:
    last_success = (await conn.execute(
        select(func.max(attempts.c.at)).where(attempts.c.username == username, attempts.c.address == address,
                                              attempts.c.succeeded))).scalar()
    failed = and_(attempts.c.at > now - policy.window, ~attempts.c.succeeded)
    at_address = attempts.c.address == address
    as_user = attempts.c.username == username
    since_success = attempts.c.at > last_success if last_success is not None else true()
    row = (await conn.execute(select(
        func.count().filter(at_address), func.min(attempts.c.at).filter(at_address),
        func.count().filter(and_(as_user, at_address, since_success)),
        func.min(attempts.c.at).filter(and_(as_user, at_address, since_success)),
        func.count().filter(as_user), func.min(attempts.c.at).filter(as_user),
    ).where(failed, or_(at_address, as_user)))).one()
    known = last_success is not None and last_success > now - policy.known_address_for
    return RecentAttempts(Failures(row[0], row[1]), Failures(row[2], row[3]), Failures(row[4], row[5]), known)


async def record_attempt(conn: AsyncConnection, username: str, address: str, now: datetime, succeeded: bool) -> None:
    await conn.execute(attempts.insert().values(at=now, username=username, address=address, succeeded=succeeded))


async def forget_attempts_before(conn: AsyncConnection, before: datetime) -> int:
    result = await conn.execute(attempts.delete().where(attempts.c.at < before))
    return int(result.rowcount or 0)
