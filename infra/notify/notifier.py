"""`minqing notify`: consumes `case.events` and `alerts` in its own consumer group and commits
an offset only after the batch's notifications are stored (at-least-once in; the notification
ids make a redelivery add nothing), sends on every channel, and does the periodic work
(digest at 08:00, overdue callbacks, extension requests) with an injectable clock."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord
from aiokafka.errors import CommitFailedError, KafkaError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infra.metrics import NOTIFICATIONS
from infra.notify.dispatcher import Dispatcher
from infra.notify.planner import Planner, decode
from infra.notify.store import Stored
from infra.roster_cache import RosterCache
from infra.kafka_access import kafka_access
from infra.settings import Settings
from infra.transient import is_transient
from models.case import CaseEvent
from models.roster import Roster

log = logging.getLogger(__name__)
Work = Callable[[AsyncConnection, Roster, datetime], Awaitable[Stored | None]]


class Notifier:
    def __init__(self, engine: AsyncEngine, rosters: RosterCache, settings: Settings, kafka_url: str,
                 clock: Callable[[], datetime], planner: Planner, dispatcher: Dispatcher, *,
                 batch_size: int = 500) -> None:
        self._engine, self._rosters, self._settings, self._kafka_url = engine, rosters, settings, kafka_url
        self._clock, self.planner, self.dispatcher, self._batch_size = clock, planner, dispatcher, batch_size
        self._topics = {settings.topic("case.events"): "case.events", settings.topic("alerts"): "alerts"}

    def consumer(self) -> AIOKafkaConsumer:
        s = self._settings
        return AIOKafkaConsumer(
            *self._topics, **kafka_access(s, self._kafka_url).client_options(), group_id=s.notify_group,
            enable_auto_commit=False, auto_offset_reset="earliest",
            # the worker's timings: a group on Tansu forms in seconds with them
            session_timeout_ms=int(s.session_timeout * 1000), rebalance_timeout_ms=int(s.rebalance_timeout * 1000),
            heartbeat_interval_ms=int(s.heartbeat_interval * 1000), fetch_max_wait_ms=s.fetch_max_wait_ms,
            max_poll_records=self._batch_size)

    async def run(self, stop: asyncio.Event) -> None:
        consumer = self.consumer()
        await consumer.start()
        tasks = [asyncio.create_task(self.dispatcher.run(), name="senders"),
                 asyncio.create_task(self._periodic(), name="periodic")]
        try:
            while not stop.is_set():
                await self.consume_once(consumer)
                for task in tasks:
                    if task.done():
                        task.result()  # a sender loop never ends on its own: surface why it did
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await consumer.stop()

    async def consume_once(self, consumer: AIOKafkaConsumer, timeout_ms: int = 500) -> int:
        batches = await consumer.getmany(timeout_ms=timeout_ms, max_records=self._batch_size)
        records = [r for rs in batches.values() for r in rs]
        if not records:
            return 0
        await self.handle(records)
        try:
            await consumer.commit({tp: rs[-1].offset + 1 for tp, rs in batches.items()})
        except (CommitFailedError, KafkaError) as error:  # a rebalance: the next owner redoes it, harmlessly
            log.warning("notifier could not commit offsets (%s); the batch will be seen again", error)
        return len(records)

    async def handle(self, records: Sequence[ConsumerRecord[Any, Any]]) -> None:
        """Store the notifications of a batch in one transaction; if the batch fails for a
        reason that is not the database's, take its messages one by one and skip (log) only
        those that fail on their own."""
        try:
            await self._until_stored(lambda conn, roster, now: self._plan(conn, records, roster, now))
        except Exception:  # noqa: BLE001 - isolate the poison message below
            for record in records:
                try:
                    await self._until_stored(lambda conn, roster, now, r=record: self._plan(conn, [r], roster, now))
                except Exception:  # noqa: BLE001
                    log.exception("notifier skips %s@%s:%s", record.topic, record.partition, record.offset)

    async def _plan(self, conn: AsyncConnection, records: Sequence[ConsumerRecord[Any, Any]], roster: Roster,
                    now: datetime) -> Stored:
        events: list[CaseEvent] = []
        alerts: list[dict[str, Any]] = []
        for record in records:
            kind = self._topics.get(record.topic, "case.events")
            decoded = decode(kind, record.value)
            if isinstance(decoded, CaseEvent):
                events.append(decoded)
            elif decoded is not None:
                alerts.append(decoded)
        stored = await self.planner.case_events(conn, events, roster, now) if events else Stored()
        return stored | (await self.planner.alerts(conn, alerts, roster, now) if alerts else Stored())

    async def _until_stored(self, work: Work) -> None:
        """Database and roster troubles are waited out (the offset is not committed meanwhile)."""
        delay = 0.2
        while True:
            try:
                roster = await self._rosters.current()
                async with self._engine.begin() as conn:
                    stored = await work(conn, roster, self._clock()) or Stored()
                NOTIFICATIONS.labels(channel="in_app", result="stored").inc(stored.notifications)
                self.dispatcher.wake(set(stored.channels))
                return
            except Exception as error:
                if not is_transient(error):
                    raise
                log.warning("notifier waits %.1fs for the database or roster: %s", delay, error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def tick(self, *, digest: bool = True, callbacks: bool = True, extensions: bool = True) -> None:
        """One round of the periodic work at the clock's time."""
        if extensions:
            await self._until_stored(self.planner.extension_requests)
        if digest:
            await self._until_stored(self.planner.digest)
        if callbacks:
            await self._until_stored(self.planner.callbacks)

    async def _periodic(self, every: float = 2.0) -> None:
        rounds = 0
        while True:
            try:  # extension requests every round; the digest and callbacks about once a minute
                await self.tick(digest=rounds % 15 == 0, callbacks=rounds % 30 == 0)
            except Exception:  # noqa: BLE001 - the next round tries again
                log.exception("notifier's periodic work failed")
            rounds += 1
            await asyncio.sleep(every)
