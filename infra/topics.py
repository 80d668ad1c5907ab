"""Topic names and their creation (CONTRACT "Input topics" / "Output topics")."""
from __future__ import annotations

import contextlib

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from infra.kafka_access import kafka_access
from infra.settings import Settings
from models.intake import INPUT_TOPICS

OUTPUT_TOPICS = ("case.events", "alerts")


def all_topic_names(settings: Settings) -> list[str]:
    names = [*INPUT_TOPICS, *(f"{name}.dlq" for name in INPUT_TOPICS), *OUTPUT_TOPICS]
    return [settings.topic(name) for name in names]


async def ensure_topics(settings: Settings, kafka_url: str) -> None:
    admin = AIOKafkaAdminClient(**kafka_access(settings, kafka_url).client_options())
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(name, settings.partitions, settings.replication_factor) for name in all_topic_names(settings)
                   if name not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another process created them first
                await admin.create_topics(missing)
    finally:
        await admin.close()
