"""Topic names and their creation (CONTRACT "Input topics" / "Output topics")."""
from __future__ import annotations

import contextlib

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from infra.settings import Settings, kafka_bootstrap_servers
from models.intake import INPUT_TOPICS

OUTPUT_TOPICS = ("case.events", "alerts")


def all_topic_names(settings: Settings) -> list[str]:
    names = [*INPUT_TOPICS, *(f"{name}.dlq" for name in INPUT_TOPICS), *OUTPUT_TOPICS]
    return [settings.topic(name) for name in names]


async def ensure_topics(settings: Settings, kafka_url: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers(kafka_url))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(name, settings.partitions, 1) for name in all_topic_names(settings)
                   if name not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another process created them first
                await admin.create_topics(missing)
    finally:
        await admin.close()
