"""Storing what the domain decided: each notification once (its id is the key), and for the
new ones only, one delivery per push channel as the recipient's preferences plan it."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.tables import notification_deliveries, notification_preferences, notifications
from models.notification_channels import Delivery, Preferences, plan, plan_petitioner
from models.notifications import Notification, PetitionerMessage
from models.roster import Roster


async def preferences_of(conn: AsyncConnection, cadre_ids: Iterable[str]) -> dict[str, Preferences]:
    wanted = sorted(set(cadre_ids))
    if not wanted:
        return {}
    rows = await conn.execute(select(notification_preferences).where(notification_preferences.c.cadre_id.in_(wanted)))
    return {r.cadre_id: Preferences(frozenset(r.channels), r.quiet_hours, r.email) for r in rows}


@dataclass(frozen=True)
class Stored:
    """What a transaction stored: the channels that got deliveries (to wake their senders) and
    how many notifications were new (the in-app channel's count)."""
    channels: frozenset[str] = frozenset()
    notifications: int = 0

    def __or__(self, other: "Stored") -> "Stored":
        return Stored(self.channels | other.channels, self.notifications + other.notifications)


async def store(conn: AsyncConnection, notes: Sequence[Notification], messages: Sequence[PetitionerMessage],
                roster: Roster, configured: frozenset[str], now: datetime) -> Stored:
    """Insert what is new, with its deliveries."""
    rows = [_note_row(n) for n in notes] + [_message_row(m) for m in messages]
    if not rows:
        return Stored()
    new: set[str] = set()
    for chunk in _chunks(rows):
        inserted = await conn.execute(insert(notifications).values(chunk).on_conflict_do_nothing()
                                      .returning(notifications.c.notification_id))
        new |= set(inserted.scalars())
    prefs = await preferences_of(conn, [n.recipient_cadre_id for n in notes if n.notification_id in new])
    deliveries: list[dict[str, Any]] = []
    for note in notes:
        if note.notification_id in new:
            phone = roster.cadre(note.recipient_cadre_id).phone if roster.has_cadre(note.recipient_cadre_id) else None
            planned = plan(note, prefs.get(note.recipient_cadre_id, Preferences()), configured, phone, now)
            deliveries += [_delivery_row(note.notification_id, d, now) for d in planned]
    for message in messages:
        if message.message_id in new:
            deliveries += [_delivery_row(message.message_id, d, now) for d in plan_petitioner(message, configured, now)]
    for chunk in _chunks(deliveries):
        await conn.execute(insert(notification_deliveries).values(chunk).on_conflict_do_nothing())
    return Stored(frozenset(d["channel"] for d in deliveries), sum(n.notification_id in new for n in notes))


def _chunks(rows: list[dict[str, Any]], size: int = 1000) -> Iterable[list[dict[str, Any]]]:
    """Keeps a statement under PostgreSQL's 32,767 bind parameters."""
    return (rows[i:i + size] for i in range(0, len(rows), size))


def _note_row(n: Notification) -> dict[str, Any]:
    return {"notification_id": n.notification_id, "audience": "cadre", "kind": n.kind,
            "recipient_cadre_id": n.recipient_cadre_id, "case_id": n.case_id, "tracking_code": n.tracking_code,
            "village_code": n.village_code, "category": n.category, "due_at": n.due_at, "text": n.text,
            "urgent": n.urgent, "confidential": n.confidential, "source_event_id": n.source_event_id,
            "created_at": n.created_at, "read_at": None}


def _message_row(m: PetitionerMessage) -> dict[str, Any]:
    """The petitioner's phone is not part of the notification: only its SMS delivery has it."""
    return {"notification_id": m.message_id, "audience": "petitioner", "kind": m.kind, "recipient_cadre_id": None,
            "case_id": m.case_id, "tracking_code": m.tracking_code, "village_code": None, "category": None,
            "due_at": None, "text": m.text, "urgent": False, "confidential": False,
            "source_event_id": m.source_event_id, "created_at": m.created_at, "read_at": None}


def _delivery_row(notification_id: str, d: Delivery, now: datetime) -> dict[str, Any]:
    return {"notification_id": notification_id, "channel": d.channel, "address": d.address, "status": "pending",
            "attempts": 0, "next_attempt_at": d.not_before, "created_at": now}
