"""On a cluster, Minqing's topics are created with the configured number of copies."""
from __future__ import annotations

from typing import Any

import pytest

import infra.topics
from infra.settings import Settings


class _Admin:
    created: list[Any] = []

    def __init__(self, **options: Any) -> None:
        self.options = options

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def list_topics(self) -> list[str]:
        return []

    async def create_topics(self, topics: list[Any]) -> None:
        _Admin.created = topics


async def test_topics_get_the_replication_factor_and_partitions_of_the_settings(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(infra.topics, "AIOKafkaAdminClient", _Admin)
    settings = Settings(_env_file=None, kafka_url="kafka://k1:9092,k2:9092,k3:9092",  # type: ignore[call-arg]
                        partitions=12, replication_factor=3)
    await infra.topics.ensure_topics(settings, settings.kafka_url or "")
    assert {(t.num_partitions, t.replication_factor) for t in _Admin.created} == {(12, 3)}
    assert len(_Admin.created) == 10  # four inputs, their dead letters, case.events, alerts
