"""Moving a consumer group's committed offsets from a test, as `kafka-consumer-groups
--reset-offsets` does: join the (idle) group as a member, take every partition, commit where
`where` says. Tansu refuses commits from outside a group."""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor

Where = Callable[[AIOKafkaConsumer, list[TopicPartition]], Awaitable[dict[TopicPartition, int]]]


class AsFaust(RoundRobinPartitionAssignor):
    """Joins under the protocol name faust's workers use, or their group would refuse us."""
    name = "faust"


async def earliest(consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
    return dict(await consumer.beginning_offsets(partitions))


async def latest(consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
    return dict(await consumer.end_offsets(partitions))


async def reset_group(bootstrap_servers: str, group: str, topics: Sequence[str], partitions_each: int, where: Where,
                      **options: Any) -> None:
    """`options`: e.g. the assignor a group of faust workers speaks (`AsFaust`)."""
    consumer = AIOKafkaConsumer(*topics, group_id=group, enable_auto_commit=False, session_timeout_ms=10_000,
                                rebalance_timeout_ms=10_000, heartbeat_interval_ms=1_000,
                                bootstrap_servers=bootstrap_servers, **options)
    await consumer.start()
    try:
        wanted = len(topics) * partitions_each
        for _ in range(120):
            if len(consumer.assignment()) == wanted:
                break
            await consumer.getmany(timeout_ms=500, max_records=1)
        assert len(consumer.assignment()) == wanted, f"joined {group} with {consumer.assignment()}"
        await consumer.commit(await where(consumer, list(consumer.assignment())))
    finally:
        await consumer.stop()
