"""A cadre's notification centre and preferences, and the admin's delivery log: the reads and
writes behind the `Notifications` repository of the unit of work (`infra.db.notification_repo`).
A petitioner's phone and a cadre's e-mail are shown masked, always."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.tables import (notification_attempts, notification_dead_letters, notification_deliveries,
                             notification_preferences, notifications)
from infra.notify.store import preferences_of
from models.notification_channels import Preferences
from models.notification_text import masked_address

_MINE = (notifications.c.audience == "cadre",)


def _of(cadre_id: str) -> tuple[Any, ...]:
    return (notifications.c.recipient_cadre_id == cadre_id, *_MINE)


async def list_for(conn: AsyncConnection, cadre_id: str, *, limit: int = 50, offset: int = 0,
                   unread_only: bool = False) -> list[dict[str, Any]]:
    """The cadre's own notifications, unread first, newest first within each."""
    query = (select(notifications).where(*_of(cadre_id))
             .order_by(case((notifications.c.read_at.is_(None), 0), else_=1), notifications.c.created_at.desc(),
                       notifications.c.notification_id)
             .limit(limit).offset(offset))
    if unread_only:
        query = query.where(notifications.c.read_at.is_(None))
    return [dict(r._mapping) for r in await conn.execute(query)]


async def unread_count(conn: AsyncConnection, cadre_id: str) -> int:
    return int((await conn.execute(select(func.count()).select_from(notifications).where(
        *_of(cadre_id), notifications.c.read_at.is_(None)))).scalar_one())


async def counts(conn: AsyncConnection, cadre_id: str) -> tuple[int, int]:
    """(all, unread) of the cadre's own."""
    row = (await conn.execute(select(func.count(), func.count().filter(notifications.c.read_at.is_(None)))
                              .select_from(notifications).where(*_of(cadre_id)))).one()
    return int(row[0]), int(row[1])


async def mark_read(conn: AsyncConnection, cadre_id: str, notification_id: str, now: datetime) -> bool:
    """False when there is no such notification *for this cadre* (someone else's is a 404 too)."""
    return await read_one(conn, cadre_id, notification_id, now) is not None


async def read_one(conn: AsyncConnection, cadre_id: str, notification_id: str,
                   now: datetime) -> dict[str, Any] | None:
    """The cadre's notification after marking it read (the first reading's time is kept)."""
    marked = (await conn.execute(
        notifications.update().where(notifications.c.notification_id == notification_id, *_of(cadre_id))
        .values(read_at=func.coalesce(notifications.c.read_at, now)).returning(*notifications.c))).first()
    return dict(marked._mapping) if marked is not None else None


async def mark_all_read(conn: AsyncConnection, cadre_id: str, now: datetime) -> int:
    marked = await conn.execute(notifications.update().where(*_of(cadre_id), notifications.c.read_at.is_(None))
                                .values(read_at=now).returning(notifications.c.notification_id))
    return len(marked.all())


async def preferences(conn: AsyncConnection, cadre_id: str) -> Preferences:
    return (await preferences_of(conn, [cadre_id])).get(cadre_id, Preferences())


async def set_preferences(conn: AsyncConnection, cadre_id: str, prefs: Preferences, by: str | None,
                          now: datetime) -> None:
    values = {"channels": sorted(prefs.channels), "quiet_hours": prefs.quiet_hours, "email": prefs.email,
              "updated_at": now, "updated_by": by}
    await conn.execute(insert(notification_preferences).values(cadre_id=cadre_id, **values)
                       .on_conflict_do_update(index_elements=[notification_preferences.c.cadre_id], set_=values))


_ABOUT = (notifications.c.kind, notifications.c.audience, notifications.c.recipient_cadre_id,
          notifications.c.case_id, notifications.c.tracking_code)


async def delivery_log(conn: AsyncConnection, *, delivery_id: int | None = None, notification_id: str | None = None,
                       status: str | None = None, channel: str | None = None, limit: int = 100,
                       offset: int = 0) -> list[dict[str, Any]]:
    """Deliveries with what they carry and every attempt, newest first; addresses masked."""
    d = notification_deliveries
    query = (select(d, *_ABOUT).select_from(d.outerjoin(notifications, notifications.c.notification_id
                                                        == d.c.notification_id))
             .order_by(d.c.id.desc()).limit(limit).offset(offset))
    for column, wanted in ((d.c.id, delivery_id), (d.c.notification_id, notification_id), (d.c.status, status),
                           (d.c.channel, channel)):
        if wanted is not None:
            query = query.where(column == wanted)
    rows = [dict(r._mapping) for r in await conn.execute(query)]
    attempts: dict[int, list[dict[str, Any]]] = {}
    if rows:
        for a in await conn.execute(select(notification_attempts).where(
                notification_attempts.c.delivery_id.in_([r["id"] for r in rows])).order_by(notification_attempts.c.id)):
            attempts.setdefault(a.delivery_id, []).append(dict(a._mapping))
    return [{**r, "address": masked_address(r["channel"], r["address"]), "attempt_log": attempts.get(r["id"], [])}
            for r in rows]


async def dead_letters(conn: AsyncConnection, *, include_resent: bool = False, limit: int = 100) -> list[dict[str, Any]]:
    query = select(notification_dead_letters).order_by(notification_dead_letters.c.id.desc()).limit(limit)
    if not include_resent:
        query = query.where(notification_dead_letters.c.resent_at.is_(None))
    return [dict(r._mapping) for r in await conn.execute(query)]
