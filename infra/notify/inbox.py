"""A cadre's notification centre and preferences, and the admin's delivery log: the reads and
writes phase 2's routes will call (GET /api/v1/notifications, POST …/{id}/read, preferences,
the delivery log and re-send). A petitioner's phone is shown masked, always."""
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
from models.notification_text import masked_phone


async def list_for(conn: AsyncConnection, cadre_id: str, *, limit: int = 50, offset: int = 0,
                   unread_only: bool = False) -> list[dict[str, Any]]:
    """The cadre's own notifications, unread first, newest first within each."""
    query = (select(notifications).where(notifications.c.recipient_cadre_id == cadre_id,
                                         notifications.c.audience == "cadre")
             .order_by(case((notifications.c.read_at.is_(None), 0), else_=1), notifications.c.created_at.desc(),
                       notifications.c.notification_id)
             .limit(limit).offset(offset))
    if unread_only:
        query = query.where(notifications.c.read_at.is_(None))
    return [dict(r._mapping) for r in await conn.execute(query)]


async def unread_count(conn: AsyncConnection, cadre_id: str) -> int:
    return int((await conn.execute(select(func.count()).select_from(notifications).where(
        notifications.c.recipient_cadre_id == cadre_id, notifications.c.read_at.is_(None)))).scalar_one())


async def mark_read(conn: AsyncConnection, cadre_id: str, notification_id: str, now: datetime) -> bool:
    """False when there is no such notification *for this cadre* (someone else's is a 404 too)."""
    found = (await conn.execute(select(notifications.c.read_at).where(
        notifications.c.notification_id == notification_id, notifications.c.recipient_cadre_id == cadre_id))).first()
    if found is None:
        return False
    if found.read_at is None:
        await conn.execute(notifications.update().where(notifications.c.notification_id == notification_id)
                           .values(read_at=now))
    return True


async def preferences(conn: AsyncConnection, cadre_id: str) -> Preferences:
    return (await preferences_of(conn, [cadre_id])).get(cadre_id, Preferences())


async def set_preferences(conn: AsyncConnection, cadre_id: str, prefs: Preferences, by: str | None,
                          now: datetime) -> None:
    values = {"channels": sorted(prefs.channels), "quiet_hours": prefs.quiet_hours, "email": prefs.email,
              "updated_at": now, "updated_by": by}
    await conn.execute(insert(notification_preferences).values(cadre_id=cadre_id, **values)
                       .on_conflict_do_update(index_elements=[notification_preferences.c.cadre_id], set_=values))


async def delivery_log(conn: AsyncConnection, *, notification_id: str | None = None, status: str | None = None,
                       limit: int = 100) -> list[dict[str, Any]]:
    """Deliveries with every attempt, newest first; addresses masked."""
    query = select(notification_deliveries).order_by(notification_deliveries.c.id.desc()).limit(limit)
    if notification_id is not None:
        query = query.where(notification_deliveries.c.notification_id == notification_id)
    if status is not None:
        query = query.where(notification_deliveries.c.status == status)
    rows = [dict(r._mapping) for r in await conn.execute(query)]
    attempts: dict[int, list[dict[str, Any]]] = {}
    if rows:
        for a in await conn.execute(select(notification_attempts).where(
                notification_attempts.c.delivery_id.in_([r["id"] for r in rows])).order_by(notification_attempts.c.id)):
            attempts.setdefault(a.delivery_id, []).append(dict(a._mapping))
    return [{**r, "address": _masked(r["channel"], r["address"]), "attempt_log": attempts.get(r["id"], [])}
            for r in rows]


async def dead_letters(conn: AsyncConnection, *, include_resent: bool = False, limit: int = 100) -> list[dict[str, Any]]:
    query = select(notification_dead_letters).order_by(notification_dead_letters.c.id.desc()).limit(limit)
    if not include_resent:
        query = query.where(notification_dead_letters.c.resent_at.is_(None))
    return [dict(r._mapping) for r in await conn.execute(query)]


def _masked(channel: str, address: str | None) -> str | None:
    if address is None:
        return None
    if channel == "email":
        name, _, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return masked_phone(address)
