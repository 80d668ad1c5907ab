"""The faust app: one agent per input topic. Take a batch → intake → done.

At-least-once: offsets are acknowledged only after the whole batch is stored (cases, links,
dead letters, in one transaction); a redelivery is harmless because intake is idempotent
per source event id.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from infra.intake_metrics import count_intake
from infra.kafka_access import kafka_access
from infra.logs import log_context
from infra.outbox_relay import OutboxRelay
from infra.services.app import Minqing
from infra.services.intake import IntakeItem
from infra.settings import Settings
from models.intake import INPUT_TOPICS
from streams.dead_letters import publish_dead_letter
from streams.loops import add_background_loops
from streams.retry import until_done
from streams.transport import MinqingApp

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerServices:
    minqing: Minqing
    clock: Callable[[], datetime]
    relay: OutboxRelay | None = None
    escalate: bool = True  # run the escalation scheduler in this worker
    # set after every batch intake stored: the relay publishes its case events at once
    relay_wake: asyncio.Event = field(default_factory=asyncio.Event)


def create_app(settings: Settings, kafka_url: str, services: WorkerServices) -> MinqingApp:
    datadir = settings.data_dir.resolve() / "faust"
    datadir.mkdir(parents=True, exist_ok=True)
    app = MinqingApp(
        "minqing",
        broker=kafka_url,
        broker_credentials=kafka_access(settings, kafka_url).faust_credentials(),  # TLS / SASL when set
        processing_guarantee="at_least_once",  # Tansu has no transactions; intake is idempotent instead
        store="memory://",
        datadir=str(datadir),  # faust writes its data dir even for memory tables
        autodiscover=False,
        web_enabled=False,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=settings.session_timeout,
        broker_rebalance_timeout=settings.rebalance_timeout,
        broker_heartbeat_interval=settings.heartbeat_interval,
        broker_commit_interval=0.5,
        broker_max_poll_records=settings.batch_size,
    )
    app.fetch_max_wait_ms = settings.fetch_max_wait_ms
    for name in INPUT_TOPICS:
        _add_intake_agent(app, settings, name, services)
    if services.relay is not None and services.escalate:
        add_background_loops(app, services.relay, services.minqing.escalate_due, services.relay_wake)
    return app


def _add_intake_agent(app: MinqingApp, settings: Settings, name: str, services: WorkerServices) -> None:
    topic = app.topic(settings.topic(name), key_type=bytes, value_type=bytes,
                      key_serializer="raw", value_serializer="raw")
    dlq = app.topic(settings.topic(f"{name}.dlq"), key_serializer="raw", value_serializer="raw")

    async def consume(stream: Any) -> None:
        async for events in stream.take_ready(settings.batch_size, linger=settings.batch_window_ms / 1000):
            work = asyncio.ensure_future(_process(name, events, dlq, services))
            try:
                await asyncio.shield(work)
            except asyncio.CancelledError:
                await work  # faust acknowledges the batch when we return: only once it is stored
                raise

    consume.__name__ = f"intake_{name.replace('.', '_')}"
    app.agent(topic, name=consume.__name__)(consume)


async def _process(name: str, events: list[Any], dlq: Any, services: WorkerServices) -> None:
    """Never raises: faust acknowledges a batch whose processing raised, so anything that
    escapes here would be lost. Whatever fails is retried until it works."""
    items = [IntakeItem(name, e.message.value or b"", e.message.partition, e.message.offset, e.message.key,
                        e.message.topic, e.message.timestamp) for e in events]
    with log_context(batch=batch_id(items)):
        started = time.perf_counter()
        outcomes = await until_done(lambda: services.minqing.ingest(items),
                                    what=f"intake of {len(items)} {name} events", retry_everything=True)
        services.relay_wake.set()
        count_intake(name, outcomes, time.perf_counter() - started, services.clock().timestamp())
        for outcome in outcomes:
            if outcome.rejected:
                reason = outcome.decision.reason or "refused"
                with log_context(event_id=_key(outcome.item)):
                    await until_done(lambda o=outcome, r=reason: publish_dead_letter(dlq, o.item, r, services.clock()),
                                     what=f"dead letter for {name}", retry_everything=True)


def batch_id(items: list[IntakeItem]) -> str:
    """`topic/partition@first-last[,partition@first-last]`: where every event of a batch is,
    for its log lines."""
    if not items:
        return "-"
    spans: dict[int, list[int]] = {}
    for item in items:
        spans.setdefault(item.partition, []).append(item.offset)
    where = ",".join(f"{p}@{min(o)}-{max(o)}" for p, o in sorted(spans.items()))
    return f"{items[0].source_topic or items[0].topic}/{where}"


def _key(item: IntakeItem) -> str:
    return item.key.decode(errors="replace")[:64] if item.key else f"@{item.offset}"
