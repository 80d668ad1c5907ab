"""faust's aiokafka driver with a configurable fetch wait, and a stream that hands the agent
a batch as soon as it is free.

faust hard-codes `fetch_max_wait_ms=1500`, and Tansu answers a fetch only when
that wait runs out, so every event would sit up to 1.5 s in the broker. The
worker consumer is created as faust does it, then given our wait before it starts.

faust's `take_events(max, within)` ticks: the agent waits a whole window each time it comes
back for events, whether they are already there or not — a lone event waits up to the window,
and an event that arrived during a batch waits for that batch *and* a window after it.
`take_ready` waits for the first event instead, then at most `linger` for companions (or until
`max_` are there): an idle worker takes an event at once, and under load batches still grow by
themselves, because events gather while the previous batch is processed.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

import faust
from faust.transport.drivers import aiokafka as driver


class _ConsumerThread(driver.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        consumer._fetch_max_wait_ms = getattr(self.app, "fetch_max_wait_ms", 1500)
        return consumer


class _Consumer(driver.Consumer):
    def _new_consumer_thread(self) -> driver.AIOKafkaConsumerThread:
        return _ConsumerThread(self, loop=self.loop, beacon=self.beacon)


class _Transport(driver.Transport):
    Consumer = _Consumer


class ReadyStream(faust.Stream):  # type: ignore[misc]  # faust's generic stream
    def take_ready(self, max_: int, linger: float) -> AsyncGenerator[list[Any], None]:
        agen = self._take_ready(max_, linger)
        self._active_agens.add(agen)  # closed when the stream stops, as faust does for take_events
        return agen

    async def _take_ready(self, max_: int, linger: float) -> AsyncGenerator[list[Any], None]:
        """Lists of at most `max_` events, each acknowledged once the caller is done with its
        list (as faust's `take_events` does), timed by arrivals rather than by a ticking
        window. Events keep arriving into a fresh buffer while the caller holds a list — up
        to `max_`, then the channel waits — so the next list is ready the moment it returns."""
        buffer: list[list[Any]] = [[]]  # the list being filled, swapped out whole when taken
        arrived, full, room = asyncio.Event(), asyncio.Event(), asyncio.Event()

        async def add_to_buffer(value: Any) -> Any:
            while len(buffer[0]) >= max_:  # back-pressure until the caller takes the list
                room.clear()
                if (await self.wait(room)).stopped:
                    return value  # stopping: never acknowledged, so delivered again
            event = self.current_event
            if event is None:
                raise RuntimeError("take_ready found no current event")
            buffer[0].append(event)
            arrived.set()
            if len(buffer[0]) >= max_:
                full.set()
            return value

        enable_acks, self.enable_acks = self.enable_acks, False  # acknowledged here, after use
        self.add_processor(add_to_buffer)
        self._enable_passive(aiter(self.channel))
        try:
            while not self.should_stop:
                if await self.wait_for_stopped(arrived):
                    break
                if linger > 0 and not full.is_set():
                    await self.wait_for_stopped(full, timeout=linger)
                else:
                    await asyncio.sleep(0)  # the rest of what one fetch delivered is on its way in
                taken, buffer[0] = buffer[0], []
                arrived.clear()
                full.clear()
                room.set()
                try:
                    yield taken
                finally:
                    for event in taken:
                        await self.ack(event)
        finally:
            self.enable_acks = enable_acks
            self._processors.remove(add_to_buffer)


class MinqingApp(faust.App):
    fetch_max_wait_ms: int = 1500

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, Stream=ReadyStream, **kwargs)

    def _new_transport(self) -> Any:
        return _Transport(self.conf.broker_consumer, self)
