"""The intake agent's batches (`streams.transport.ReadyStream.take_ready`), on faust's in-memory
channel: a batch goes as soon as the agent is free, whatever the window, and events that
arrive while a batch is being processed are all in the next one (up to the batch size)."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from streams.transport import MinqingApp

HOUR = 3600.0  # a window no test waits for


@pytest.fixture
async def channel(tmp_path: Path) -> AsyncIterator[tuple[Any, Any]]:
    app = MinqingApp("take-ready", broker="memory://", store="memory://", autodiscover=False,
                     web_enabled=False, datadir=str(tmp_path))
    app.flow_control.resume()  # as the worker does once it has its partitions
    channel = app.channel()
    stream = app.stream(channel)
    await stream.maybe_start()
    yield channel, stream
    await stream.stop()


async def _settle() -> None:
    """Let the stream's drainer move whatever was sent into the buffer."""
    for _ in range(100):
        await asyncio.sleep(0)


async def test_a_lone_event_is_taken_at_once_not_after_the_window(channel: tuple[Any, Any]) -> None:
    channel_, stream = channel
    batches = stream.take_ready(500, linger=0)
    await channel_.send(value=b"one")
    first = await asyncio.wait_for(batches.__anext__(), timeout=10)  # faust's take_events: an hour
    assert [e.value for e in first] == [b"one"]
    await batches.aclose()


async def test_a_full_batch_goes_without_waiting_for_the_linger(channel: tuple[Any, Any]) -> None:
    channel_, stream = channel
    batches = stream.take_ready(3, linger=HOUR)
    for n in range(3):
        await channel_.send(value=n)
    first = await asyncio.wait_for(batches.__anext__(), timeout=10)
    assert [e.value for e in first] == [0, 1, 2]
    await batches.aclose()


async def test_events_arriving_during_a_batch_make_the_next_one_in_order_and_never_over_the_size(
        channel: tuple[Any, Any]) -> None:
    channel_, stream = channel
    batches = stream.take_ready(3, linger=0)
    await channel_.send(value=0)
    taken = [[e.value for e in await asyncio.wait_for(batches.__anext__(), timeout=10)]]
    for n in range(1, 8):  # while the first batch is "being processed"
        await channel_.send(value=n)
    await _settle()
    while sum(map(len, taken)) < 8:
        taken.append([e.value for e in await asyncio.wait_for(batches.__anext__(), timeout=10)])
    assert taken[0] == [0]
    assert taken[1] == [1, 2, 3]  # gathered while the agent was busy, taken the moment it was free
    assert [v for batch in taken for v in batch] == list(range(8))
    assert max(map(len, taken)) <= 3
    await batches.aclose()


async def test_a_batch_is_acknowledged_only_once_the_agent_comes_back_for_the_next(
        channel: tuple[Any, Any]) -> None:
    channel_, stream = channel
    batches = stream.take_ready(500, linger=0)
    acked: list[Any] = []
    stream.ack = lambda event: _note(acked, event)  # type: ignore[method-assign]
    await channel_.send(value=b"a")
    first = await asyncio.wait_for(batches.__anext__(), timeout=10)
    assert acked == []  # still being processed
    await channel_.send(value=b"b")
    second = await asyncio.wait_for(batches.__anext__(), timeout=10)
    assert acked == first and [e.value for e in second] == [b"b"]
    await batches.aclose()


async def _note(acked: list[Any], event: Any) -> bool:
    acked.append(event)
    return True
