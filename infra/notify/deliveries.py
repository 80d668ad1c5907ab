"""Deliveries in PostgreSQL: claimed with a lease (any number of notifiers, none sends the same
delivery at once; a crashed one's lease runs out and another tries again), every attempt
logged when it starts and completed when it ends, what keeps failing dead-lettered."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.tables import (notification_attempts, notification_dead_letters, notification_deliveries,
                             notifications)
from infra.notify.channels.base import Outgoing

_CLAIM = text("""
with due as (
    select id from notification_deliveries
    where channel = :channel and status in ('pending', 'sending') and next_attempt_at <= :now
      and (status = 'pending' or lease_until < :now)
    order by next_attempt_at
    limit :limit
    for update skip locked)
update notification_deliveries d
set status = 'sending', attempts = d.attempts + 1, lease_until = :lease_until
from due where d.id = due.id
returning d.id, d.notification_id, d.channel, d.address, d.attempts
""")


@dataclass(frozen=True)
class Claimed:
    message: Outgoing
    attempt: int
    attempt_id: int


async def claim(conn: AsyncConnection, channel: str, now: datetime, lease: timedelta, limit: int) -> list[Claimed]:
    rows = (await conn.execute(_CLAIM, {"channel": channel, "now": now, "lease_until": now + lease,
                                        "limit": limit})).all()
    if not rows:
        return []
    notes = {r.notification_id: r for r in await conn.execute(
        select(notifications).where(notifications.c.notification_id.in_([r.notification_id for r in rows])))}
    logged = await conn.execute(notification_attempts.insert().values([
        {"delivery_id": r.id, "notification_id": r.notification_id, "channel": r.channel, "attempt": r.attempts,
         "started_at": now} for r in rows]).returning(notification_attempts.c.delivery_id, notification_attempts.c.id))
    attempt_of = {delivery_id: attempt_id for delivery_id, attempt_id in logged}
    return [Claimed(_outgoing(r, notes[r.notification_id]), r.attempts, attempt_of[r.id]) for r in rows]


def _outgoing(d: Any, note: Any) -> Outgoing:
    return Outgoing(d.id, d.channel, d.address, note.notification_id, note.audience, note.kind,
                    note.recipient_cadre_id, note.case_id, note.tracking_code, note.village_code,
                    note.category, note.due_at, note.text, note.created_at)


def _mine(claimed: Claimed) -> Any:
    """Only the claim that is still current may settle a delivery (a lease may have run out)."""
    return and_(notification_deliveries.c.id == claimed.message.delivery_id,
                notification_deliveries.c.status == "sending",
                notification_deliveries.c.attempts == claimed.attempt)


async def _log(conn: AsyncConnection, claimed: Claimed, now: datetime, outcome: str, error: str | None) -> None:
    await conn.execute(notification_attempts.update().where(notification_attempts.c.id == claimed.attempt_id)
                       .values(finished_at=now, outcome=outcome, error=error))


async def delivered(conn: AsyncConnection, claimed: Claimed, now: datetime) -> None:
    await conn.execute(notification_deliveries.update().where(_mine(claimed)).values(
        status="sent", sent_at=now, lease_until=None, last_error=None))
    await _log(conn, claimed, now, "sent", None)


async def failed(conn: AsyncConnection, claimed: Claimed, now: datetime, error: str,
                 retry_at: datetime | None) -> None:
    """Try again at `retry_at`, or — None — give up and keep a dead letter."""
    if retry_at is not None:
        await conn.execute(notification_deliveries.update().where(_mine(claimed)).values(
            status="pending", next_attempt_at=retry_at, lease_until=None, last_error=error))
        await _log(conn, claimed, now, "failed", error)
        return
    settled = await conn.execute(notification_deliveries.update().where(_mine(claimed)).values(
        status="dead", lease_until=None, last_error=error).returning(notification_deliveries.c.id))
    if settled.first() is not None:
        m = claimed.message
        await conn.execute(notification_dead_letters.insert().values(
            delivery_id=m.delivery_id, notification_id=m.notification_id, channel=m.channel,
            attempts=claimed.attempt, error=error, dead_at=now))
    await _log(conn, claimed, now, "gave_up", error)


async def resend(conn: AsyncConnection, delivery_ids: Sequence[int], now: datetime) -> int:
    """The admin's re-send: dead (or already sent) deliveries go out again, attempts from zero."""
    if not delivery_ids:
        return 0
    updated = await conn.execute(notification_deliveries.update().where(
        notification_deliveries.c.id.in_(list(delivery_ids)), notification_deliveries.c.status.in_(("dead", "sent")))
        .values(status="pending", attempts=0, next_attempt_at=now, lease_until=None)
        .returning(notification_deliveries.c.id))
    resent = list(updated.scalars())
    if resent:
        await conn.execute(notification_dead_letters.update().where(
            notification_dead_letters.c.delivery_id.in_(resent), notification_dead_letters.c.resent_at.is_(None))
            .values(resent_at=now))
    return len(resent)
