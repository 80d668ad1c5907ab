"""Notifications as the notifier stores them, for tests of what people do with them: rows
shaped like PostgreSQL's, and one seeder per backend (memory and PostgreSQL) that stores the
same rows, so service and contract tests start from the same data."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from infra.memory.store import MemoryStore


def note(recipient: str, created_at: datetime, *, kind: str = "case_assigned", read_at: datetime | None = None,
         case_id: str | None = None, tracking_code: str | None = "MQ-TEST", audience: str = "cadre",
         text: str = "【民情】新案件 上溪村 用水") -> dict[str, Any]:
    return {"notification_id": str(uuid.uuid4()), "audience": audience, "kind": kind,
            "recipient_cadre_id": recipient if audience == "cadre" else None, "case_id": case_id or str(uuid.uuid4()),
            "tracking_code": tracking_code, "village_code": "330782101201", "category": "water", "due_at": None,
            "text": text, "urgent": False, "confidential": False, "source_event_id": f"ev-{uuid.uuid4().hex}",
            "created_at": created_at, "read_at": read_at}


@dataclass(frozen=True)
class Attempt:
    outcome: str | None  # sent | failed | gave_up | None (cut short)
    error: str | None = None


def delivery(notification_id: str, channel: str, status: str, at: datetime, *, address: str | None = None,
             attempts: int = 0, last_error: str | None = None) -> dict[str, Any]:
    return {"notification_id": notification_id, "channel": channel, "address": address, "status": status,
            "attempts": attempts, "next_attempt_at": at, "lease_until": None, "last_error": last_error,
            "created_at": at, "sent_at": at if status == "sent" else None}


class Seeder(Protocol):
    async def notes(self, *rows: dict[str, Any]) -> None: ...

    async def delivery(self, row: dict[str, Any], attempts: Sequence[Attempt] = (), dead_at: datetime | None = None) -> int:
        """Stores a delivery with its attempt log (and a dead letter when `dead_at`); its id."""
        ...


def _attempt_rows(delivery_id: int, row: dict[str, Any], attempts: Sequence[Attempt]) -> list[dict[str, Any]]:
    start = row["created_at"]
    return [{"delivery_id": delivery_id, "notification_id": row["notification_id"], "channel": row["channel"],
             "attempt": n, "started_at": start + timedelta(seconds=n),
             "finished_at": None if a.outcome is None else start + timedelta(seconds=n, milliseconds=50),
             "outcome": a.outcome, "error": a.error} for n, a in enumerate(attempts, start=1)]


def _dead_letter(delivery_id: int, row: dict[str, Any], dead_at: datetime) -> dict[str, Any]:
    return {"delivery_id": delivery_id, "notification_id": row["notification_id"], "channel": row["channel"],
            "attempts": row["attempts"], "error": row["last_error"] or "failed", "dead_at": dead_at, "resent_at": None}


class MemorySeeder:
    def __init__(self, store: MemoryStore) -> None:
        self._t = store.tables

    async def notes(self, *rows: dict[str, Any]) -> None:
        for row in rows:
            self._t.notifications[row["notification_id"]] = dict(row)

    async def delivery(self, row: dict[str, Any], attempts: Sequence[Attempt] = (), dead_at: datetime | None = None) -> int:
        delivery_id = self._t.next_id()
        self._t.notification_deliveries[delivery_id] = {"id": delivery_id, **row}
        for attempt in _attempt_rows(delivery_id, row, attempts):
            self._t.notification_attempts.append({"id": self._t.next_id(), **attempt})
        if dead_at is not None:
            letter_id = self._t.next_id()
            self._t.notification_dead_letters[letter_id] = {"id": letter_id, **_dead_letter(delivery_id, row, dead_at)}
        return delivery_id


class SqlSeeder:
    def __init__(self, engine: Any) -> None:
        self._engine = engine

    async def notes(self, *rows: dict[str, Any]) -> None:
        from infra.db.tables import notifications

        async with self._engine.begin() as conn:
            await conn.execute(notifications.insert().values(list(rows)))

    async def delivery(self, row: dict[str, Any], attempts: Sequence[Attempt] = (), dead_at: datetime | None = None) -> int:
        from infra.db.tables import notification_attempts, notification_dead_letters, notification_deliveries

        async with self._engine.begin() as conn:
            delivery_id = int((await conn.execute(notification_deliveries.insert().values(row)
                                                  .returning(notification_deliveries.c.id))).scalar_one())
            if attempts:
                await conn.execute(notification_attempts.insert().values(_attempt_rows(delivery_id, row, attempts)))
            if dead_at is not None:
                await conn.execute(notification_dead_letters.insert().values(_dead_letter(delivery_id, row, dead_at)))
        return delivery_id
