"""From messages to stored notifications: decode, read the facts, ask the domain, store —
one transaction per batch. Also the periodic work: the 08:00 digest, overdue callbacks and
the extension-request feed. Each function takes the engine, the roster and `now`, so tests
drive them with any clock."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.tables import notify_cursors
from infra.notify import facts as F
from infra.notify.store import Stored, store
from models import workcalendar as wc
from models.case import CaseEvent
from models.conflict import recusal_for
from models.notifications import Alert, Notification, PetitionerMessage, Policy, for_alert, for_case_event
from models.reminders import callback_reminders, digest_day, digests, end_of_day, workloads
from models.roster import Roster

log = logging.getLogger(__name__)


def decode(topic_kind: str, value: bytes | None) -> CaseEvent | dict[str, Any] | None:
    """A `case.events` message as a CaseEvent, an `alerts` message as a dict; None (logged) if unreadable."""
    try:
        raw = orjson.loads(value or b"")
        if topic_kind == "alerts":
            return raw if isinstance(raw, dict) and raw.get("alert_id") else None
        return CaseEvent(raw["event_id"], raw["case_id"], int(raw["seq"]), raw["type"],
                         datetime.fromisoformat(raw["at"]), raw.get("actor"), raw.get("source_event_id") or "",
                         raw.get("data") or {})
    except (ValueError, KeyError, TypeError) as error:
        log.warning("notifier skips an unreadable %s message: %s", topic_kind, error)
        return None


class Planner:
    def __init__(self, configured: frozenset[str], policy: Policy = Policy()) -> None:
        self.configured, self.policy = configured, policy

    async def case_events(self, conn: AsyncConnection, events: Sequence[CaseEvent], roster: Roster,
                          now: datetime) -> Stored:
        known = await F.case_facts(conn, (e.case_id for e in events))
        notes: list[Notification] = []
        messages: list[PetitionerMessage] = []
        for event in events:
            case = known.get(event.case_id)
            if case is None:
                log.warning("notifier: no case %s for event %s", event.case_id, event.event_id)
                continue
            outcome = for_case_event(event, case, roster, now, self.policy)
            notes += outcome.notifications
            messages += outcome.petitioner_messages
        return await store(conn, notes, messages, roster, self.configured, now)

    async def alerts(self, conn: AsyncConnection, raws: Sequence[dict[str, Any]], roster: Roster,
                     now: datetime) -> Stored:
        notes: list[Notification] = []
        for raw in raws:
            cadres, units = await F.accused_in(conn, tuple(raw.get("case_ids") or ()))
            alert = Alert(raw["alert_id"], raw["village_code"], raw["category"], int(raw.get("petitioners") or 0),
                          datetime.fromisoformat(raw["raised_at"]), raw.get("leader_cadre_id"),
                          recusal_for(roster, cadres, units, raw["village_code"]))
            notes += for_alert(alert, roster, now)
        return await store(conn, notes, (), roster, self.configured, now)

    async def digest(self, conn: AsyncConnection, roster: Roster, now: datetime) -> Stored | None:
        """The 08:00 digest, once per day whichever notifier gets there first; None if not due."""
        day = digest_day(now, await _cursor_day(conn, "digest"))
        if day is None or not await _advance(conn, "digest", _start_of(day), now):
            return None
        cases, codes = await F.open_cases_due_by(conn, end_of_day(day))
        return await store(conn, digests(workloads(cases, codes, now), roster, day, now), (), roster,
                           self.configured, now)

    async def callbacks(self, conn: AsyncConnection, roster: Roster, now: datetime) -> Stored:
        notes = [n for case, code in await F.replied_cases(conn, now - timedelta(days=3))
                 for n in callback_reminders(case, code, roster, now)]
        return await store(conn, notes, (), roster, self.configured, now)

    async def extension_requests(self, conn: AsyncConnection, roster: Roster, now: datetime) -> Stored:
        """Requests and decisions since the last look (with a margin: a row committed late
        still gets seen; the notification ids make seeing it twice harmless)."""
        since = await _cursor(conn, "extension_requests") or now - timedelta(days=1)
        events = await F.extension_events(conn, since - timedelta(minutes=5))
        stored = await self.case_events(conn, events, roster, now) if events else Stored()
        await _advance(conn, "extension_requests", now, now)
        return stored


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=wc.SHANGHAI)


async def _cursor(conn: AsyncConnection, name: str) -> datetime | None:
    return (await conn.execute(select(notify_cursors.c.position).where(notify_cursors.c.name == name))).scalar()


async def _cursor_day(conn: AsyncConnection, name: str) -> date | None:
    position = await _cursor(conn, name)
    return wc.to_local(position).date() if position is not None else None


async def _advance(conn: AsyncConnection, name: str, position: datetime, now: datetime) -> bool:
    """Move the cursor forward; False when another notifier already moved it this far."""
    statement = insert(notify_cursors).values(name=name, position=position, updated_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[notify_cursors.c.name], set_={"position": position, "updated_at": now},
        where=notify_cursors.c.position < position)
    return (await conn.execute(statement.returning(notify_cursors.c.name))).first() is not None
