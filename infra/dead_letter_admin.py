"""`minqing dlq list` and `minqing dlq replay`: see what was refused and why, and send it
through intake again once the cause is fixed (the roster imported, the producer fixed).
A replay is idempotent: an event that became a case meanwhile changes nothing, and one that
still fails is dead-lettered again with its new error."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.db import dead_letters
from infra.settings import kafka_bootstrap_servers


def describe(letter: dict[str, Any]) -> str:
    state = f"replayed {letter['replayed_at']:%Y-%m-%d %H:%M}" if letter["replayed_at"] else "pending"
    preview = (letter["value"] or b"")[:80].decode("utf-8", errors="replace").replace("\n", " ")
    return (f"#{letter['id']} {letter['topic']}[{letter['partition']}]@{letter['offset']} "
            f"{letter['recorded_at']:%Y-%m-%d %H:%M:%S} {state}\n    error: {letter['error']}\n    value: {preview}")


async def list_letters(engine: AsyncEngine, *, topic: str | None, include_replayed: bool,
                       limit: int) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        return await dead_letters.pending(conn, topic=topic, include_replayed=include_replayed, limit=limit)


async def replay(engine: AsyncEngine, kafka_url: str, now: datetime, *, topic: str | None = None,
                 ids: Sequence[int] = (), kafka_options: dict[str, Any] | None = None) -> int:
    """Re-produce pending dead letters to the topics they came from; returns how many.
    `kafka_options` (TLS, SASL: `infra.kafka_access`) replace the plaintext `kafka_url`."""
    async with engine.connect() as conn:
        letters = await dead_letters.pending(conn, topic=topic, ids=ids, limit=100_000)
    if not letters:
        return 0
    chosen = [letter["id"] for letter in letters]
    # Marked first: a replay that fails again is re-recorded as pending by the worker,
    # which must not be overwritten by a late "replayed" mark.
    async with engine.begin() as conn:
        await dead_letters.mark_replayed(conn, chosen, now)
    try:
        await _produce(kafka_options or {"bootstrap_servers": kafka_bootstrap_servers(kafka_url)}, letters)
    except BaseException:
        async with engine.begin() as conn:
            await dead_letters.mark_replayed(conn, chosen, None)
        raise
    return len(letters)


async def _produce(kafka_options: dict[str, Any], letters: Sequence[dict[str, Any]]) -> None:
    producer = AIOKafkaProducer(acks="all", **kafka_options)
    await producer.start()
    try:
        deliveries = [await producer.send(letter["topic"], letter["value"], key=letter["key"]) for letter in letters]
        for delivery in deliveries:
            await delivery
    finally:
        await producer.stop()
