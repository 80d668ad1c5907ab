"""The faust app: one agent per input topic. Decode → call intake → done.

At-least-once: an offset is committed only after the event is a stored case or a
dead letter; a redelivery is harmless because intake is idempotent per event id.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from infra.escalation_scheduler import EscalationScheduler
from infra.intake import IntakeService, Rejected
from infra.outbox_relay import OutboxRelay
from infra.settings import Settings
from models.intake import INPUT_TOPICS
from streams.dead_letters import DeadLetterSink
from streams.loops import add_background_loops
from streams.retry import until_done
from streams.transport import MinqingApp

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerServices:
    intake: IntakeService
    dead_letters: DeadLetterSink
    relay: OutboxRelay | None = None
    scheduler: EscalationScheduler | None = None


def create_app(settings: Settings, kafka_url: str, services: WorkerServices) -> MinqingApp:
    app = MinqingApp(
        "minqing",
        broker=kafka_url,
        processing_guarantee="at_least_once",  # Tansu has no transactions; intake is idempotent instead
        store="memory://",
        autodiscover=False,
        web_enabled=False,
        topic_partitions=settings.partitions,
        topic_replication_factor=1,
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=settings.session_timeout,
        broker_rebalance_timeout=settings.rebalance_timeout,
        broker_heartbeat_interval=settings.heartbeat_interval,
        broker_commit_interval=0.5,
    )
    app.fetch_max_wait_ms = settings.fetch_max_wait_ms
    for name in INPUT_TOPICS:
        _add_intake_agent(app, settings, name, services)
    if services.relay is not None and services.scheduler is not None:
        add_background_loops(app, services.relay, services.scheduler)
    return app


def _add_intake_agent(app: MinqingApp, settings: Settings, name: str, services: WorkerServices) -> None:
    topic = app.topic(settings.topic(name), key_type=bytes, value_type=bytes,
                      key_serializer="raw", value_serializer="raw")
    dlq = app.topic(settings.topic(f"{name}.dlq"), key_serializer="raw", value_serializer="raw")

    async def consume(stream: Any) -> None:
        async for event in stream.events():
            await _process(name, event.message, dlq, services)

    consume.__name__ = f"intake_{name.replace('.', '_')}"
    app.agent(topic, name=consume.__name__)(consume)


async def _process(name: str, message: Any, dlq: Any, services: WorkerServices) -> None:
    async def attempt() -> None:
        try:
            await services.intake.ingest(name, message.value or b"")
        except Rejected as refusal:
            await services.dead_letters.send(dlq, message, refusal.reason)

    where = f"{message.topic}[{message.partition}]@{message.offset}"
    try:
        await until_done(attempt, what=f"intake of {where}")
    except Exception as error:  # a bug, not the event's fault: keep the event, keep flowing
        log.exception("unexpected failure on %s; sending it to the dead-letter topic", where)
        reason = f"internal error: {error.__class__.__name__}: {error}"
        await until_done(lambda: services.dead_letters.send(dlq, message, reason), what=f"dead letter {where}")
