"""Issue 4's reliability tests 1, 2, 3 and 5: kill -9, replay from the earliest offsets,
poison events, two workers with one killed — every event exactly one outcome, nothing twice,
every case event on `case.events`."""
from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import func, select

from infra.db.tables import case_events, cases, dead_letters
from infra.services.escalation import ACTOR as ESCALATION_ACTOR
from infra.settings import kafka_bootstrap_servers
from models.intake import INPUT_TOPICS
from tests.kafka_groups import AsFaust, earliest, reset_group
from tests.reliability.harness import SHANGHAI, Pipeline, encoded

pytestmark = pytest.mark.integration


async def _overdue_and_fresh(pipeline: Pipeline, count: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    """Mostly fresh events, a tenth from a month ago: those escalate while we crash things."""
    fresh = await pipeline.mixed_events(count - count // 10, seed=seed)
    old_start = datetime.now(SHANGHAI) - timedelta(days=30)
    from infra.demo import simulate
    from infra.setup import current_roster_document
    from tests.reliability.harness import _endpoints
    roster = await current_roster_document(_endpoints(pipeline.runtime))
    old = list(simulate.mixed_events(roster, count // 10, seed=seed + 1, start=old_start))
    return fresh + old


async def _wait_for_fraction(pipeline: Pipeline, total: int, fraction: float) -> None:
    await pipeline.wait_for_outcomes(int(total * fraction), timeout=300)


async def test_kill_9_during_ingest_loses_and_doubles_nothing(pipeline: Pipeline) -> None:
    events = await _overdue_and_fresh(pipeline, 20_000, seed=11)
    await pipeline.produce(encoded(pipeline.settings, events))
    worker = pipeline.worker()
    worker.start()
    try:
        for fraction in (0.15, 0.4, 0.7):
            await _wait_for_fraction(pipeline, len(events), fraction)
            worker.kill9()
            worker.start()
        assert await pipeline.wait_for_outcomes(len(events), timeout=600) == len(events)
        await pipeline.assert_exact_counts(len(events), worker)
        escalated = await pipeline.scalar(select(func.count()).select_from(case_events)
                                          .where(case_events.c.type == "escalated"))
        assert escalated > 0, "the month-old events should have been escalated during the run"
    finally:
        worker.stop()


async def test_replaying_everything_from_the_earliest_offsets_changes_nothing(pipeline: Pipeline) -> None:
    events = await pipeline.mixed_events(3000, seed=21)
    await pipeline.produce(encoded(pipeline.settings, events))
    worker = pipeline.worker()
    worker.start()
    try:
        assert await pipeline.wait_for_outcomes(len(events), timeout=300) == len(events)
        assert await pipeline.wait_until_relayed(timeout=60) == 0
        before = await _cases_and_intake_events(pipeline)
        worker.stop()
        await _rewind_group(pipeline)
        worker.start()
        await _wait_until_group_caught_up(pipeline, timeout=300)
        after = await _cases_and_intake_events(pipeline)
        assert after == before
        await pipeline.assert_exact_counts(len(events), worker)
    finally:
        worker.stop()


async def _cases_and_intake_events(pipeline: Pipeline) -> tuple[int, int]:
    """Cases, and the case events intake made. The escalation scheduler keeps running while
    the group replays and may rightly warn or escalate a case whose time came meanwhile (a
    deadline at midnight): its events are the clock's, not the replay's."""
    from_intake = case_events.c.actor != ESCALATION_ACTOR
    return (await pipeline.scalar(select(func.count()).select_from(cases)),
            await pipeline.scalar(select(func.count()).select_from(case_events).where(from_intake)))


def _poison(rng: random.Random, n: int) -> tuple[str, bytes]:
    topic = rng.choice(list(INPUT_TOPICS))
    shapes = [
        b"\xff\xfe not even utf-8 " + str(n).encode(),
        b'{"event_id": "poison-' + str(n).encode() + b'", "village_code": ',
        orjson.dumps({"event_id": f"poison-{n}", "summary": "缺少村代码"}),
        orjson.dumps({"event_id": f"poison-{n}", "occurred_at": "2026-11-30T09:00:00+08:00",
                      "village_code": "999999999999", "summary": "未知村", "operator_id": "t-op1",
                      "caller": {"anonymous": True}, "kind": "help", "card_cadre_id": "x",
                      "author_cadre_id": "x", "household": "x", "problems": "x", "receiving_cadre_id": "x",
                      "visitor_count": 1, "resident": {}, "channel": "sms"}),
    ]
    return topic, shapes[n % len(shapes)]


async def test_one_percent_poison_all_dead_lettered_and_every_valid_event_processed(pipeline: Pipeline) -> None:
    valid = await pipeline.mixed_events(5000, seed=31)
    rng = random.Random(31)
    poison = [_poison(rng, n) for n in range(50)]
    messages = encoded(pipeline.settings, valid)
    for topic, raw in poison:
        messages.insert(rng.randrange(len(messages)), (pipeline.settings.topic(topic), b"poison", raw))
    await pipeline.produce(messages)
    worker = pipeline.worker()
    worker.start()
    try:
        assert await pipeline.wait_for_outcomes(len(messages), timeout=300) == len(messages)
        assert worker.alive, "the worker crashed"
        async with pipeline.engine.connect() as conn:
            stored = set((await conn.execute(select(dead_letters.c.value))).scalars())
        assert {raw for _, raw in poison} <= stored
        on_topics = await _dead_letter_values(pipeline)
        assert {raw for _, raw in poison} <= on_topics
        await pipeline.assert_exact_counts(len(messages), worker)
        assert "Traceback" not in worker.log_text()
    finally:
        worker.stop()


async def test_two_workers_one_killed_and_restarted_mid_ingest(pipeline: Pipeline) -> None:
    events = await _overdue_and_fresh(pipeline, 10_000, seed=41)
    await pipeline.produce(encoded(pipeline.settings, events))
    first, second = pipeline.worker("worker-a"), pipeline.worker("worker-b")
    first.start()
    second.start()
    try:
        await _wait_for_fraction(pipeline, len(events), 0.3)
        second.kill9()
        await _wait_for_fraction(pipeline, len(events), 0.5)
        second.start()
        assert await pipeline.wait_for_outcomes(len(events), timeout=600) == len(events)
        assert first.alive and second.alive
        await pipeline.assert_exact_counts(len(events), first, second)
    finally:
        first.stop()
        second.stop()


async def _group_consumer(pipeline: Pipeline) -> tuple[AIOKafkaConsumer, list[TopicPartition]]:
    consumer = AIOKafkaConsumer(group_id="minqing", enable_auto_commit=False,
                                bootstrap_servers=kafka_bootstrap_servers(pipeline.runtime.kafka_url or ""))
    await consumer.start()
    partitions = [TopicPartition(pipeline.settings.topic(t), p) for t in INPUT_TOPICS
                  for p in range(pipeline.settings.partitions)]
    consumer.assign(partitions)
    return consumer, partitions


async def _rewind_group(pipeline: Pipeline) -> None:
    """What `kafka-consumer-groups --reset-offsets --to-earliest` does to the workers' group."""
    await reset_group(kafka_bootstrap_servers(pipeline.runtime.kafka_url or ""), "minqing",
                      [pipeline.settings.topic(t) for t in INPUT_TOPICS], pipeline.settings.partitions, earliest,
                      partition_assignment_strategy=(AsFaust,))


async def _wait_until_group_caught_up(pipeline: Pipeline, timeout: float) -> None:
    consumer, partitions = await _group_consumer(pipeline)
    try:
        ends = await consumer.end_offsets(partitions)
        for _ in range(int(timeout * 2)):
            committed = {tp: await consumer.committed(tp) or 0 for tp in partitions}
            if all(committed[tp] >= ends[tp] for tp in partitions):
                return
            await asyncio.sleep(0.5)
        raise AssertionError(f"the group did not catch up: {committed} < {ends}")
    finally:
        await consumer.stop()


async def _dead_letter_values(pipeline: Pipeline) -> set[bytes]:
    topics = [pipeline.settings.topic(f"{t}.dlq") for t in INPUT_TOPICS]
    consumer = AIOKafkaConsumer(*topics, group_id=None, auto_offset_reset="earliest",
                                bootstrap_servers=kafka_bootstrap_servers(pipeline.runtime.kafka_url or ""))
    await consumer.start()
    values: set[bytes] = set()
    try:
        for _ in range(20):
            batch = await consumer.getmany(timeout_ms=300)
            if not batch and values:
                break
            for records in batch.values():
                values.update(record.value for record in records)
    finally:
        await consumer.stop()
    return values
