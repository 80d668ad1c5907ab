"""Queries about one matter (village × category): prior cases of a petitioner for repeat
detection, recent petitioners for early warning, and the lock that serialises both."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.tables import alerts, case_links, cases
from models.early_warning import EarlyWarning, Sighting
from models.lifecycle import CaseStatus
from models.petitioners import Petitioner
from models.repeats import PriorCase


async def lock_matter(conn: AsyncConnection, village_code: str, category: str) -> None:
    """Until commit, nobody else checks repeats or clusters of this matter: two workers
    must not both miss (or both raise) the alert that their two events complete."""
    await conn.execute(text("select pg_advisory_xact_lock(hashtext(:key))"),
                       {"key": f"matter:{village_code}:{category}"})


async def seen_case_id(conn: AsyncConnection, topic: str, event_id: str) -> str | None:
    """The case an already-ingested source event opened or was linked to."""
    opened = await conn.execute(select(cases.c.case_id).where(cases.c.source_topic == topic,
                                                              cases.c.source_event_id == event_id))
    linked = await conn.execute(select(case_links.c.case_id).where(case_links.c.source_topic == topic,
                                                                   case_links.c.source_event_id == event_id))
    return opened.scalar() or linked.scalar()


async def prior_cases(conn: AsyncConnection, who: Petitioner, village_code: str, category: str) -> list[PriorCase]:
    if not who.keys():
        return []
    same_person = []
    if who.phone:
        same_person.append(cases.c.petitioner_phone == who.phone)
    if who.id_number:
        same_person.append(cases.c.petitioner_id_number == who.id_number)
    rows = await conn.execute(
        select(cases.c.case_id, cases.c.status, cases.c.occurred_at, cases.c.petitioner_phone,
               cases.c.petitioner_id_number, cases.c.state["re_review_decided_at"]["$dt"].astext.label("final"))
        .where(cases.c.village_code == village_code, cases.c.category == category, or_(*same_person)))
    return [PriorCase(row.case_id, Petitioner(row.petitioner_phone, row.petitioner_id_number), village_code,
                      category, CaseStatus(row.status), row.occurred_at,
                      datetime.fromisoformat(row.final) if row.final else None) for row in rows]


async def recent_sightings(conn: AsyncConnection, village_code: str, category: str, until: datetime,
                           window: timedelta) -> list[Sighting]:
    rows = await conn.execute(
        select(cases.c.case_id, cases.c.occurred_at, cases.c.petitioner_phone, cases.c.petitioner_id_number)
        .where(cases.c.village_code == village_code, cases.c.category == category,
               cases.c.occurred_at > until - window, cases.c.occurred_at <= until))
    return [Sighting(sighting_key(row.petitioner_phone, row.petitioner_id_number, row.case_id),
                     village_code, category, row.occurred_at, row.case_id) for row in rows]


def sighting_key(phone: str | None, id_number: str | None, case_id: str) -> str:
    """One key per petitioner; an unidentified one counts once, by its case."""
    return f"phone:{phone}" if phone else f"id:{id_number}" if id_number else f"case:{case_id}"


async def link_repeat(conn: AsyncConnection, topic: str, event_id: str, case_id: str, event: dict[str, Any],
                      at: datetime) -> bool:
    result = await conn.execute(insert(case_links).values(
        source_topic=topic, source_event_id=event_id, case_id=case_id, linked_at=at, event=event)
        .on_conflict_do_nothing())
    return bool(result.rowcount)


async def raise_alert(conn: AsyncConnection, warning: EarlyWarning, at: datetime) -> bool:
    result = await conn.execute(insert(alerts).values(
        alert_id=warning.alert_id, kind="collective_petition", village_code=warning.village_code,
        category=warning.category, leader_cadre_id=warning.leader_cadre_id,
        petitioners=warning.petitioner_count, window_start=warning.first_at, window_end=warning.last_at,
        raised_at=at, data={"case_ids": list(warning.case_ids), "message": warning.message})
        .on_conflict_do_nothing())
    return bool(result.rowcount)


async def count_alerts(conn: AsyncConnection) -> int:
    return int((await conn.execute(select(func.count()).select_from(alerts))).scalar_one())
