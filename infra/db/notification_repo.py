"""The `Notifications` repository on PostgreSQL: a thin face over `infra.notify.inbox` (the
notification centre, preferences and delivery log) and `infra.notify.deliveries` (re-send),
bound to the unit of work's transaction."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from infra.notify import deliveries, inbox
from infra.services.ports import Row
from models.notification_channels import Preferences


class SqlNotifications:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def page(self, cadre_id: str, *, limit: int, offset: int, unread_only: bool = False) -> list[Row]:
        return await inbox.list_for(self._conn, cadre_id, limit=limit, offset=offset, unread_only=unread_only)

    async def counts(self, cadre_id: str) -> tuple[int, int]:
        return await inbox.counts(self._conn, cadre_id)

    async def mark_read(self, cadre_id: str, notification_id: str, at: datetime) -> Row | None:
        return await inbox.read_one(self._conn, cadre_id, notification_id, at)

    async def mark_all_read(self, cadre_id: str, at: datetime) -> int:
        return await inbox.mark_all_read(self._conn, cadre_id, at)

    async def preferences(self, cadre_id: str) -> Preferences:
        return await inbox.preferences(self._conn, cadre_id)

    async def set_preferences(self, cadre_id: str, prefs: Preferences, by: str | None, at: datetime) -> None:
        await inbox.set_preferences(self._conn, cadre_id, prefs, by, at)

    async def deliveries(self, *, delivery_id: int | None = None, notification_id: str | None = None,
                         status: str | None = None, channel: str | None = None, limit: int = 100,
                         offset: int = 0) -> list[Row]:
        return await inbox.delivery_log(self._conn, delivery_id=delivery_id, notification_id=notification_id,
                                        status=status, channel=channel, limit=limit, offset=offset)

    async def resend(self, delivery_ids: Sequence[int], at: datetime) -> int:
        return await deliveries.resend(self._conn, delivery_ids, at)

    async def dead_letters(self, *, include_resent: bool = False, limit: int = 100) -> list[Row]:
        return await inbox.dead_letters(self._conn, include_resent=include_resent, limit=limit)
