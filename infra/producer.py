"""Producing input events (simulator, dead-letter replay, the operator's call desk)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer

from infra.kafka_access import kafka_access
from infra.settings import Settings


async def produce_events(settings: Settings, kafka_url: str, events: Iterable[tuple[str, dict[str, Any]]]) -> int:
    """Send (topic, event) pairs keyed by event_id; returns how many the broker acknowledged."""
    producer = AIOKafkaProducer(acks="all", linger_ms=5, **kafka_access(settings, kafka_url).client_options())
    await producer.start()
    try:
        deliveries = [await producer.send(settings.topic(topic), orjson.dumps(event),
                                          key=str(event["event_id"]).encode())
                      for topic, event in events]
        for delivery in deliveries:
            await delivery
    finally:
        await producer.stop()
    return len(deliveries)
