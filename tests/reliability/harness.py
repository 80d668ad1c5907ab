"""A fresh broker + PostgreSQL per test, worker processes we can kill -9, and the exact
counts the pipeline promises: every event is one case, one repeat link or one dead letter;
nothing twice; every case event on `case.events`."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.db.engine import create_engine
from infra.db.migrate import upgrade_to_head
from infra.bootstrap import utc_now
from infra.db.tables import case_events, case_links, cases, dead_letters
from infra.demo import simulate
from infra.outbox_relay import OutboxRelay
from infra.runtime.embedded import EmbeddedRuntime
from infra.settings import Settings, kafka_bootstrap_servers
from infra.setup import current_roster_document, prepare_system

ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = timezone(timedelta(hours=8))


class WorkerProcess:
    def __init__(self, runtime: EmbeddedRuntime, name: str, extra_env: dict[str, str] | None = None,
                 command: str = "worker") -> None:
        self._command = command
        self._env = {**os.environ, "MINQING_KAFKA_URL": runtime.kafka_url or "",
                     "MINQING_DATABASE_URL": runtime.database_url or "", "MINQING_DATA_DIR": str(runtime.data_dir),
                     **(extra_env or {})}
        self._log_path = runtime.data_dir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        with open(self._log_path, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "infra.cli", self._command], env=self._env,
                                            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        self.starts += 1

    def kill9(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_text(self) -> str:
        return self._log_path.read_text(errors="replace")


@dataclass
class Pipeline:
    runtime: EmbeddedRuntime
    settings: Settings
    engine: AsyncEngine
    logins: dict[str, str]

    @classmethod
    async def start(cls, data_dir: Path) -> Pipeline:
        runtime = EmbeddedRuntime(data_dir)
        runtime.start()
        settings = Settings(kafka_url=runtime.kafka_url, database_url=runtime.database_url, data_dir=data_dir)
        await asyncio.to_thread(upgrade_to_head, runtime.owner_database_url or "")
        endpoints = _endpoints(runtime)
        logins = await prepare_system(settings, endpoints, demo=True)
        return cls(runtime, settings, create_engine(runtime.database_url or "", pool_size=2), logins)

    async def close(self) -> None:
        await self.engine.dispose()
        self.runtime.stop()

    def worker(self, name: str = "worker", **env: str) -> WorkerProcess:
        return WorkerProcess(self.runtime, name, env)

    def api_server(self, port: int) -> WorkerProcess:
        return WorkerProcess(self.runtime, "api", {"MINQING_API_PORT": str(port)}, command="api")

    async def mixed_events(self, count: int, seed: int, residents_per_village: int = 25) -> list[tuple[str, dict[str, Any]]]:
        roster = await current_roster_document(_endpoints(self.runtime))
        start = datetime.now(SHANGHAI) - timedelta(hours=2)
        return list(simulate.mixed_events(roster, count, seed=seed, start=start,
                                          residents_per_village=residents_per_village))

    async def produce(self, messages: Iterable[tuple[str, bytes, bytes]]) -> int:
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers(self.runtime.kafka_url or ""),
                                    acks="all", linger_ms=5, max_batch_size=256 * 1024)
        await producer.start()
        try:
            futures = [await producer.send(topic, value, key=key) for topic, key, value in messages]
            for future in futures:
                await future
        finally:
            await producer.stop()
        return len(futures)

    async def scalar(self, statement: Any) -> Any:
        async with self.engine.connect() as conn:
            return (await conn.execute(statement)).scalar_one()

    async def outcomes(self) -> int:
        """Events that became a case, a repeat link or a dead letter."""
        return (await self.scalar(select(func.count()).select_from(cases))
                + await self.scalar(select(func.count()).select_from(case_links))
                + await self.scalar(select(func.count()).select_from(dead_letters)))

    async def wait_for_outcomes(self, expected: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        seen = -1
        while time.monotonic() < deadline:
            seen = await self.outcomes()
            if seen >= expected:
                return seen
            await asyncio.sleep(0.5)
        return seen

    async def wait_until_relayed(self, timeout: float) -> int:
        pending = select(func.count()).select_from(case_events).where(case_events.c.published_at.is_(None))
        deadline = time.monotonic() + timeout
        left = -1
        while time.monotonic() < deadline:
            left = await self.scalar(pending)
            if left == 0:
                return 0
            await asyncio.sleep(0.5)
        return left

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


def _endpoints(runtime: EmbeddedRuntime) -> Any:
    return runtime.endpoints


def encoded(settings: Settings, events: Iterable[tuple[str, dict[str, Any]]]) -> list[tuple[str, bytes, bytes]]:
    return [(settings.topic(topic), str(event["event_id"]).encode(), orjson.dumps(event)) for topic, event in events]
