"""The `Notifications` repository in memory, over the same rows as PostgreSQL's notification
tables (`infra.notify.inbox` is its twin; tests/contract holds the two together)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from infra.memory.store import Tables
from infra.services.ports import Row
from models.notification_channels import Preferences
from models.notification_text import masked_address


class MemoryNotifications:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def _mine(self, cadre_id: str) -> list[dict[str, Any]]:
        return [r for r in self._t.notifications.values()
                if r["recipient_cadre_id"] == cadre_id and r["audience"] == "cadre"]

    async def page(self, cadre_id: str, *, limit: int, offset: int, unread_only: bool = False) -> list[Row]:
        rows = [r for r in self._mine(cadre_id) if not unread_only or r["read_at"] is None]
        rows.sort(key=lambda r: r["notification_id"])
        rows.sort(key=lambda r: r["created_at"], reverse=True)
        rows.sort(key=lambda r: r["read_at"] is not None)
        return [dict(r) for r in rows[offset:offset + limit]]

    async def counts(self, cadre_id: str) -> tuple[int, int]:
        mine = self._mine(cadre_id)
        return len(mine), sum(r["read_at"] is None for r in mine)

    async def mark_read(self, cadre_id: str, notification_id: str, at: datetime) -> Row | None:
        row = self._t.notifications.get(notification_id)
        if row is None or row["recipient_cadre_id"] != cadre_id or row["audience"] != "cadre":
            return None
        row["read_at"] = row["read_at"] or at
        return dict(row)

    async def mark_all_read(self, cadre_id: str, at: datetime) -> int:
        unread = [r for r in self._mine(cadre_id) if r["read_at"] is None]
        for row in unread:
            row["read_at"] = at
        return len(unread)

    async def preferences(self, cadre_id: str) -> Preferences:
        row = self._t.notification_preferences.get(cadre_id)
        return Preferences(frozenset(row["channels"]), row["quiet_hours"], row["email"]) if row else Preferences()

    async def set_preferences(self, cadre_id: str, prefs: Preferences, by: str | None, at: datetime) -> None:
        self._t.notification_preferences[cadre_id] = {
            "cadre_id": cadre_id, "channels": sorted(prefs.channels), "quiet_hours": prefs.quiet_hours,
            "email": prefs.email, "updated_at": at, "updated_by": by}

    async def deliveries(self, *, delivery_id: int | None = None, notification_id: str | None = None,
                         status: str | None = None, channel: str | None = None, limit: int = 100,
                         offset: int = 0) -> list[Row]:
        wanted = {"id": delivery_id, "notification_id": notification_id, "status": status, "channel": channel}
        rows = [d for _, d in sorted(self._t.notification_deliveries.items(), reverse=True)
                if all(value is None or d[key] == value for key, value in wanted.items())]
        return [self._logged(d) for d in rows[offset:offset + limit]]

    def _logged(self, delivery: dict[str, Any]) -> Row:
        note = self._t.notifications.get(delivery["notification_id"], {})
        about = {key: note.get(key) for key in ("kind", "audience", "recipient_cadre_id", "case_id", "tracking_code")}
        attempts = sorted((dict(a) for a in self._t.notification_attempts if a["delivery_id"] == delivery["id"]),
                          key=lambda a: a["id"])
        return {**delivery, **about, "address": masked_address(delivery["channel"], delivery["address"]),
                "attempt_log": attempts}

    async def resend(self, delivery_ids: Sequence[int], at: datetime) -> int:
        resent = [d for i, d in self._t.notification_deliveries.items()
                  if i in set(delivery_ids) and d["status"] in ("dead", "sent")]
        for delivery in resent:
            delivery.update(status="pending", attempts=0, next_attempt_at=at, lease_until=None)
        again = {d["id"] for d in resent}
        for letter in self._t.notification_dead_letters.values():
            if letter["delivery_id"] in again and letter["resent_at"] is None:
                letter["resent_at"] = at
        return len(resent)

    async def dead_letters(self, *, include_resent: bool = False, limit: int = 100) -> list[Row]:
        rows = [dict(r) for _, r in sorted(self._t.notification_dead_letters.items(), reverse=True)
                if include_resent or r["resent_at"] is None]
        return rows[:limit]
