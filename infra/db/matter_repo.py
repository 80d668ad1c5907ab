"""Queries about matters (village × category), a batch at a time: which source events
were already taken in, prior cases of the same petitioners (repeats), recent petitioners
(early warning), and the locks that serialise both across workers."""
from __future__ import annotations

import asyncio
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import cast, func, literal, not_, or_, select, text, tuple_
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.case_opening import sighting_key
from infra.records import accused_sets, alert_row
from infra.db.tables import alerts, case_links, cases
from models.access import Scope
from models.early_warning import EarlyWarning, Sighting
from models.lifecycle import OPEN, CaseStatus
from models.petitioners import Petitioner
from models.repeats import PriorCase

Matter = tuple[str, str]  # (village_code, category)
# The only prior cases a repeat check looks at: still open (link to it) or finally re-reviewed (refuse).
_REPEAT_RELEVANT = sorted(s.value for s in OPEN | {CaseStatus.RE_REVIEWED})
SourceKey = tuple[str, str]  # (source topic, event_id)
# Rows of a matter's window turned into sightings between two yields to the event loop: a
# burst's matter holds thousands within a day, and every batch reads them all.
SIGHTING_ROWS = 500


def _lock_id(matter: Matter) -> int:
    digest = hashlib.blake2b(f"matter:{matter[0]}:{matter[1]}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def lock_matters(conn: AsyncConnection, matters: Iterable[Matter]) -> None:
    """Until commit, nobody else checks repeats or clusters of these matters: two workers
    must not both miss (or both raise) the alert their two events complete. Taken in one
    global order, so two batches never deadlock."""
    for lock_id in sorted({_lock_id(m) for m in matters}):
        await conn.execute(text("select pg_advisory_xact_lock(:id)"), {"id": lock_id})


async def seen_events(conn: AsyncConnection, keys: Sequence[SourceKey]) -> dict[SourceKey, str]:
    """Source events already taken in, with the case they opened or were linked to."""
    if not keys:
        return {}
    opened = await conn.execute(select(cases.c.source_topic, cases.c.source_event_id, cases.c.case_id)
                                .where(tuple_(cases.c.source_topic, cases.c.source_event_id).in_(keys)))
    linked = await conn.execute(select(case_links.c.source_topic, case_links.c.source_event_id, case_links.c.case_id)
                                .where(tuple_(case_links.c.source_topic, case_links.c.source_event_id).in_(keys)))
    return {(row[0], row[1]): row[2] for row in [*opened, *linked]}


async def prior_cases(conn: AsyncConnection, matters: Iterable[Matter],
                      people: Iterable[Petitioner]) -> dict[Matter, list[PriorCase]]:
    people = list(people)
    phones = sorted({p.phone for p in people if p.phone})
    id_numbers = sorted({p.id_number for p in people if p.id_number})
    found: dict[Matter, list[PriorCase]] = defaultdict(list)
    if not (phones or id_numbers):
        return found
    rows = await conn.execute(
        select(cases.c.case_id, cases.c.village_code, cases.c.category, cases.c.status, cases.c.occurred_at,
               cases.c.petitioner_phone, cases.c.petitioner_id_number, cases.c.accused,
               # the state's time, as the current codec writes it or as the first one did
               func.coalesce(cases.c.state["re_review_decided_at"]["$dt"].astext,
                             cases.c.state["re_review_decided_at"].astext).label("final"))
        .where(tuple_(cases.c.village_code, cases.c.category).in_(sorted(set(matters))),
               or_(cases.c.petitioner_phone.in_(phones), cases.c.petitioner_id_number.in_(id_numbers)),
               cases.c.status.in_(_REPEAT_RELEVANT)))
    for row in rows:
        found[(row.village_code, row.category)].append(PriorCase(
            row.case_id, Petitioner(row.petitioner_phone, row.petitioner_id_number), row.village_code,
            row.category, CaseStatus(row.status), row.occurred_at,
            datetime.fromisoformat(row.final) if row.final else None, *accused_sets(row.accused)))
    return found


async def recent_sightings(conn: AsyncConnection, matters: Iterable[Matter], since: datetime,
                           until: datetime) -> dict[Matter, list[Sighting]]:
    result = await conn.execute(
        select(cases.c.case_id, cases.c.village_code, cases.c.category, cases.c.occurred_at,
               cases.c.petitioner_phone, cases.c.petitioner_id_number, cases.c.accused)
        .where(tuple_(cases.c.village_code, cases.c.category).in_(sorted(set(matters))),
               cases.c.occurred_at > since, cases.c.occurred_at <= until))
    found: dict[Matter, list[Sighting]] = defaultdict(list)
    for number, rows in enumerate(result.partitions(SIGHTING_ROWS)):
        if number:
            await asyncio.sleep(0)  # the rows are all fetched: only turning them into sightings is left
        for row in rows:
            key = sighting_key(row.petitioner_phone, row.petitioner_id_number, row.case_id)
            found[(row.village_code, row.category)].append(
                Sighting(key, row.village_code, row.category, row.occurred_at, row.case_id, *accused_sets(row.accused)))
    return found


async def insert_links(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(insert(case_links).on_conflict_do_nothing(), list(rows))


async def insert_alerts(conn: AsyncConnection, warnings: Sequence[EarlyWarning], at: datetime) -> None:
    if not warnings:
        return
    await conn.execute(insert(alerts).on_conflict_do_nothing(), [alert_row(w, at) for w in warnings])


class SqlMatters:
    """`Matters` on PostgreSQL: the functions above, bound to one transaction."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def lock(self, matters: Iterable[Matter]) -> None:
        await lock_matters(self._conn, matters)

    async def seen(self, keys: Sequence[SourceKey]) -> dict[SourceKey, str]:
        return await seen_events(self._conn, keys)

    async def prior_cases(self, matters: Iterable[Matter], people: Iterable[Petitioner]) -> dict[Matter, list[PriorCase]]:
        return await prior_cases(self._conn, matters, people)

    async def sightings(self, matters: Iterable[Matter], since: datetime, until: datetime) -> dict[Matter, list[Sighting]]:
        return await recent_sightings(self._conn, matters, since, until)

    async def add_links(self, rows: Sequence[dict[str, Any]]) -> None:
        await insert_links(self._conn, rows)

    async def add_alerts(self, warnings: Sequence[EarlyWarning], at: datetime) -> None:
        await insert_alerts(self._conn, warnings, at)

    async def alerts(self, scope: Scope, cadre_id: str | None, limit: int) -> list[dict[str, Any]]:
        query = _alerts_in_reach(select(alerts).order_by(alerts.c.raised_at.desc()).limit(limit), scope, cadre_id)
        return [dict(row._mapping) for row in await self._conn.execute(query)]

    async def alerts_raised(self, scope: Scope, cadre_id: str | None, since: datetime,
                            until: datetime) -> list[dict[str, Any]]:
        query = (select(alerts).where(alerts.c.raised_at >= since, alerts.c.raised_at < until)
                 .order_by(alerts.c.raised_at, alerts.c.alert_id))
        return [dict(row._mapping) for row in await self._conn.execute(_alerts_in_reach(query, scope, cadre_id))]


def _alerts_in_reach(query: Any, scope: Scope, cadre_id: str | None) -> Any:
    if not scope.township:
        query = query.where(alerts.c.village_code.in_(sorted(scope.village_codes))
                            | (alerts.c.leader_cadre_id == cadre_id))
    if cadre_id is not None:  # an alert whose cluster accuses the reader does not exist for them
        query = query.where(not_(func.coalesce(alerts.c.data["hidden_from"], cast(literal("[]"), JSONB))
                                 .contains([cadre_id])))
    return query
