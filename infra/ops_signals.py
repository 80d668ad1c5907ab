"""Operational signals: is the pipeline keeping up? Read from the broker and PostgreSQL, so
they hold for the whole deployment, however many workers it runs.

Consumer lag per input topic (end offsets minus the group's committed offsets), dead
letters per topic, rows still waiting for the relay and how old the oldest is, open cases
past their deadline, and the oldest overdue case the escalation scheduler has not yet
climbed (it should never be more than seconds old).
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.db.case_queries import overdue_condition
from infra.db.tables import alerts, case_events, cases, dead_letters, outgoing_events
from models.intake import INPUT_TOPICS

GROUP_ID = "minqing"


@dataclass(frozen=True)
class GroupOffsets:
    lag: dict[str, int]  # per topic
    committed: int  # sum over every input partition: how far the group has come


async def group_offsets(topic_of: Callable[[str], str], kafka_options: dict[str, Any]) -> GroupOffsets:
    return await offsets_of(GROUP_ID, [topic_of(name) for name in INPUT_TOPICS], kafka_options)


async def offsets_of(group_id: str, topics: Sequence[str], kafka_options: dict[str, Any]) -> GroupOffsets:
    """How far a consumer group has come on these topics (the notifiers' group too)."""
    consumer = AIOKafkaConsumer(group_id=group_id, enable_auto_commit=False, request_timeout_ms=3000,
                                **kafka_options)
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [TopicPartition(topic, p) for topic in topics
                      for p in sorted(consumer.partitions_for_topic(topic) or ())]
        ends = await consumer.end_offsets(partitions)
        lag: dict[str, int] = {}
        done = 0
        for tp in partitions:
            committed = await consumer.committed(tp) or 0
            done += committed
            lag[tp.topic] = lag.get(tp.topic, 0) + max(0, ends[tp] - committed)
        return GroupOffsets(lag, done)
    finally:
        await consumer.stop()


async def consumer_lag(topic_of: Callable[[str], str], kafka_options: dict[str, Any]) -> dict[str, int]:
    return (await group_offsets(topic_of, kafka_options)).lag


async def database_signals(engine: AsyncEngine, now: datetime) -> dict[str, Any]:
    async with engine.connect() as conn:
        oldest = (await conn.execute(
            select(cases.c.case_id, cases.c.next_due_at)
            .where(overdue_condition(now), cases.c.escalation_level == 0)
            .order_by(cases.c.next_due_at).limit(1))).first()
        overdue = (await conn.execute(select(func.count()).select_from(cases)
                                      .where(overdue_condition(now)))).scalar_one()
        backlog = {name: int((await conn.execute(select(func.count()).select_from(table)
                                                  .where(mark.is_(None)))).scalar_one())
                   for name, table, mark in (("case_events", case_events, case_events.c.published_at),
                                             ("outgoing_events", outgoing_events, outgoing_events.c.sent_at),
                                             ("alerts", alerts, alerts.c.published_at))}
        waiting_since = (await conn.execute(select(case_events.c.at).where(case_events.c.published_at.is_(None))
                                            .order_by(case_events.c.id).limit(1))).scalar()
        letters = (await conn.execute(
            select(dead_letters.c.topic, func.count(), func.count().filter(dead_letters.c.replayed_at.is_(None)))
            .group_by(dead_letters.c.topic))).all()
    return {
        "dead_letters": {topic: int(total) for topic, total, _ in letters},
        "dead_letters_pending": {topic: int(pending) for topic, _, pending in letters},
        "outbox_backlog": backlog["case_events"],
        "backlog": backlog,
        "relay_lag_seconds": 0.0 if waiting_since is None else max(0.0, round((now - waiting_since).total_seconds(), 1)),
        "overdue_open_cases": int(overdue),
        "oldest_unescalated_overdue": None if oldest is None else {
            "case_id": oldest.case_id, "due": oldest.next_due_at.isoformat(),
            "overdue_seconds": round((now - oldest.next_due_at).total_seconds(), 1)},
    }


async def pipeline_signals(engine: AsyncEngine, topic_of: Callable[[str], str], kafka_options: dict[str, Any],
                           now: datetime) -> dict[str, Any]:
    signals = await database_signals(engine, now)
    try:
        offsets = await asyncio.wait_for(group_offsets(topic_of, kafka_options), 5)
        signals["consumer_lag"] = offsets.lag
        signals["committed_offsets"] = offsets.committed
    except Exception as error:  # noqa: BLE001 - the broker part of the health answer says why
        signals["consumer_lag"] = {"error": f"{type(error).__name__}: {error}"[:200]}
    return signals
