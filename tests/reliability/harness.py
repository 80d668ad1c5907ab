"""The reliability tests' harness: the benchmarks' pipeline (a fresh broker + PostgreSQL,
worker processes we can kill -9) plus the exact counts the pipeline promises: every event is
one case, one repeat link or one dead letter; nothing twice; every case event on `case.events`."""
from __future__ import annotations

import asyncio
import time

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import select, text

from bench.pipeline import SHANGHAI, Pipeline as _Pipeline, WorkerProcess, _endpoints, encoded
from infra.bootstrap import utc_now
from infra.db.tables import case_events
from infra.outbox_relay import OutboxRelay
from infra.settings import kafka_bootstrap_servers

__all__ = ["SHANGHAI", "Pipeline", "WorkerProcess", "_endpoints", "encoded"]


class Pipeline(_Pipeline):
    async def case_event_ids_on_topic(self, timeout: float = 120) -> list[str]:
        """Every message on `case.events`, from the beginning (duplicates kept)."""
        topic = self.settings.topic("case.events")
        consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap_servers(self.runtime.kafka_url or ""),
                                    enable_auto_commit=False, fetch_max_wait_ms=100, auto_offset_reset="earliest")
        await consumer.start()
        ids: list[str] = []
        try:
            partitions: list[TopicPartition] = []
            for _ in range(50):  # the metadata may not list the topic's partitions at once
                await consumer.topics()
                partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
                if partitions:
                    break
                await asyncio.sleep(0.2)
            assert partitions, f"the broker lists no partitions of {topic}"
            consumer.assign(partitions)
            ends = await consumer.end_offsets(partitions)
            for tp, first in (await consumer.beginning_offsets(partitions)).items():
                consumer.seek(tp, first)  # explicit: a pending offset reset must not win over it
            next_offset = {tp: 0 for tp in partitions}
            deadline, quiet = time.monotonic() + timeout, 0
            # The system is quiet (workers stopped, outbox drained): read until every partition
            # reached its end offset *and* the broker has had nothing more for two seconds
            # (Tansu's end offsets have been seen to lag what a fetch returns).
            while time.monotonic() < deadline and (quiet < 4 or any(next_offset[tp] < ends[tp] for tp in partitions)):
                batch = await consumer.getmany(timeout_ms=500, max_records=5000)
                quiet = 0 if batch else quiet + 1
                for tp, records in batch.items():
                    ids.extend(orjson.loads(record.value)["event_id"] for record in records)
                    if records:
                        next_offset[tp] = records[-1].offset + 1
            self.last_read = {"partitions": len(partitions), "ends": {tp.partition: e for tp, e in ends.items()},
                              "read_to": {tp.partition: o for tp, o in next_offset.items()}, "messages": len(ids)}
        finally:
            await consumer.stop()
        return ids

    async def drain_outbox(self) -> None:
        """Publish what the stopped workers' relays left (a quiet system compares exactly)."""
        relay = OutboxRelay(self.engine, self.settings, self.runtime.kafka_url or "", utc_now)
        await relay.start()
        try:
            while await relay.run_once():
                pass
        finally:
            await relay.stop()

    async def assert_exact_counts(self, unique_events: int, *workers: WorkerProcess) -> None:
        """The invariants of issue 4's reliability tests, checked against PostgreSQL and the
        topic once the system is quiet (workers stopped: escalations would keep adding events)."""
        for worker in workers:
            worker.stop()
        await self.drain_outbox()
        assert await self.outcomes() == unique_events
        duplicated = await self.scalar(text(
            "select count(*) from (select source_topic, source_event_id from cases "
            "group by 1, 2 having count(*) > 1) d"))
        assert duplicated == 0
        twice_escalated = await self.scalar(text(
            "select count(*) from (select case_id, data->>'level' from case_events where type = 'escalated' "
            "group by 1, 2 having count(*) > 1) d"))
        assert twice_escalated == 0
        assert await self.wait_until_relayed(timeout=120) == 0
        async with self.engine.connect() as conn:
            stored = set((await conn.execute(select(case_events.c.event_id))).scalars())
        published = set(await self.case_event_ids_on_topic())
        assert published == stored, (f"{len(stored - published)} case events missing from the topic, "
                                     f"{len(published - stored)} unknown ones on it: e.g. missing "
                                     f"{sorted(stored - published)[:3]}, unknown {sorted(published - stored)[:3]}; "
                                     f"read {getattr(self, 'last_read', None)}")
