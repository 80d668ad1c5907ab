"""Operational signals for `/healthz`: is the pipeline keeping up?

Consumer lag per input topic (end offsets minus the group's committed offsets), dead
letters per topic, case events still waiting for the relay, and the oldest overdue case
the escalation scheduler has not yet climbed (it should never be more than seconds old).
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.db import dead_letters
from infra.db.tables import case_events, cases
from models.intake import INPUT_TOPICS

GROUP_ID = "minqing"


async def consumer_lag(topic_of: Callable[[str], str], bootstrap_servers: str) -> dict[str, int]:
    consumer = AIOKafkaConsumer(group_id=GROUP_ID, enable_auto_commit=False, request_timeout_ms=3000,
                                bootstrap_servers=bootstrap_servers)
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [TopicPartition(topic_of(name), p) for name in INPUT_TOPICS
                      for p in sorted(consumer.partitions_for_topic(topic_of(name)) or ())]
        ends = await consumer.end_offsets(partitions)
        lag: dict[str, int] = {}
        for tp in partitions:
            committed = await consumer.committed(tp) or 0
            lag[tp.topic] = lag.get(tp.topic, 0) + max(0, ends[tp] - committed)
        return lag
    finally:
        await consumer.stop()


async def database_signals(engine: AsyncEngine, now: datetime) -> dict[str, Any]:
    async with engine.connect() as conn:
        oldest = (await conn.execute(
            select(cases.c.case_id, cases.c.next_due_at)
            .where(cases.c.next_due_at < now, cases.c.escalation_level == 0)
            .order_by(cases.c.next_due_at).limit(1))).first()
        backlog = (await conn.execute(select(func.count()).select_from(case_events)
                                      .where(case_events.c.published_at.is_(None)))).scalar_one()
        letters = await dead_letters.count_by_topic(conn)
    return {
        "dead_letters": letters,
        "outbox_backlog": int(backlog),
        "oldest_unescalated_overdue": None if oldest is None else {
            "case_id": oldest.case_id, "due": oldest.next_due_at.isoformat(),
            "overdue_seconds": round((now - oldest.next_due_at).total_seconds(), 1)},
    }


async def pipeline_signals(engine: AsyncEngine, topic_of: Callable[[str], str], bootstrap_servers: str,
                           now: datetime) -> dict[str, Any]:
    signals = await database_signals(engine, now)
    try:
        signals["consumer_lag"] = await asyncio.wait_for(consumer_lag(topic_of, bootstrap_servers), 5)
    except Exception as error:  # noqa: BLE001 - the broker part of the health answer says why
        signals["consumer_lag"] = {"error": f"{type(error).__name__}: {error}"[:200]}
    return signals
