"""The outbox relay: publishes what PostgreSQL has committed — case events to
`case.events`, API-accepted events to their input topics, alerts to `alerts` — and marks
each row sent only after the broker acknowledged it. A crash in between publishes the row
again (at-least-once; every message carries its own id). One relay works at a time,
elected by an advisory lock, so each case's events leave in order."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer
from sqlalchemy import Column, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infra.db.tables import alerts, case_events, outgoing_events
from infra.kafka_access import kafka_access
from infra.metrics import RELAYED
from infra.settings import Settings

_RELAY_LOCK = 0x6D71_0001  # "mq" 1: the advisory lock that elects the relay


def case_event_message(row: Any) -> dict[str, Any]:
    return {"event_id": row.event_id, "case_id": row.case_id, "seq": row.seq, "type": row.type,
            "actor": row.actor, "at": row.at.isoformat(), "source_event_id": row.source_event_id,
            "data": row.data}


def alert_message(row: Any) -> dict[str, Any]:
    return {"alert_id": row.alert_id, "kind": row.kind, "village_code": row.village_code,
            "category": row.category, "leader_cadre_id": row.leader_cadre_id, "petitioners": row.petitioners,
            "window_start": row.window_start.isoformat(), "window_end": row.window_end.isoformat(),
            "raised_at": row.raised_at.isoformat(), **row.data}


class OutboxRelay:
    def __init__(self, engine: AsyncEngine, settings: Settings, kafka_url: str, clock: Callable[[], datetime],
                 batch_size: int = 2000) -> None:
        self._engine = engine
        self._settings = settings
        self._kafka_url = kafka_url
        self._clock = clock
        self.batch_size = batch_size
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        self._producer = AIOKafkaProducer(acks="all", linger_ms=2, enable_idempotence=False,
                                          **kafka_access(self._settings, self._kafka_url).client_options())
        await self._producer.start()

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def run_once(self) -> int:
        """Publish one batch of each outbox; returns how many messages went out."""
        async with self._engine.begin() as conn:
            elected = (await conn.execute(text("select pg_try_advisory_xact_lock(:k)"), {"k": _RELAY_LOCK})).scalar()
            if not elected:
                return 0
            topic = self._settings.topic
            sent = await self._relay(conn, case_events.c.id, case_events.c.published_at, lambda r: (
                topic("case.events"), r.case_id.encode(), orjson.dumps(case_event_message(r))))
            sent += await self._relay(conn, outgoing_events.c.id, outgoing_events.c.sent_at,
                                      lambda r: (r.topic, r.key, r.value))
            sent += await self._relay(conn, alerts.c.alert_id, alerts.c.published_at, lambda r: (
                topic("alerts"), r.village_code.encode(), orjson.dumps(alert_message(r))))
        return sent

    async def _relay(self, conn: AsyncConnection, key: Column[Any], mark: Column[Any],
                     message: Callable[[Any], tuple[str, bytes | None, bytes]]) -> int:
        """Rows not yet marked, oldest first (by `key`), published, then marked."""
        table = key.table
        rows = (await conn.execute(select(table).where(mark.is_(None)).order_by(key).limit(self.batch_size))).all()
        if not rows:
            return 0
        await self._publish([message(row) for row in rows])
        await conn.execute(table.update().where(key.in_([getattr(r, key.name) for r in rows]))
                           .values({mark.name: self._clock()}))
        RELAYED.labels(table.name).inc(len(rows))
        return len(rows)

    async def _publish(self, messages: Sequence[tuple[str, bytes | None, bytes]]) -> None:
        assert self._producer is not None, "relay not started"
        deliveries = [await self._producer.send(topic, value, key=key) for topic, key, value in messages]
        for delivery in deliveries:
            await delivery
