"""A fresh broker + PostgreSQL of its own, worker and API processes we can start, stop and
kill -9, and the counts every benchmark and the reliability tests read: events that became a
case, a repeat link or a dead letter; case events not yet relayed."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.bootstrap import bootstrap
from infra.db.engine import create_engine
from infra.db.migrate import upgrade_to_head
from infra.db.tables import case_events, case_links, cases, dead_letters
from infra.demo import simulate
from infra.services.administration import ImportRoster
from infra.runtime.embedded import EmbeddedRuntime
from infra.settings import Settings, kafka_bootstrap_servers
from infra.setup import SETUP, current_roster_document, prepare_system

ROOT = Path(__file__).resolve().parents[1]
SHANGHAI = timezone(timedelta(hours=8))


class WorkerProcess:
    def __init__(self, runtime: EmbeddedRuntime, name: str, extra_env: dict[str, str] | None = None,
                 command: str = "worker", module: str = "infra.cli", args: Sequence[str] = ()) -> None:
        self._argv = [sys.executable, "-m", module, *args, command] if command else [sys.executable, "-m", module, *args]
        self._env = {**os.environ, "MINQING_KAFKA_URL": runtime.kafka_url or "",
                     "MINQING_DATABASE_URL": runtime.database_url or "", "MINQING_DATA_DIR": str(runtime.data_dir),
                     **(extra_env or {})}
        self._log_path = runtime.data_dir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        with open(self._log_path, "ab") as log:
            self.process = subprocess.Popen(self._argv, env=self._env,
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

    def require_alive(self) -> None:
        """A worker that exited early fails the benchmark at once, with its last words."""
        if self.process is not None and self.process.poll() is not None:
            tail = "\n".join(self.log_text().splitlines()[-15:])
            raise RuntimeError(f"the worker exited with {self.process.returncode}:\n{tail}")


@dataclass
class Pipeline:
    runtime: EmbeddedRuntime
    settings: Settings
    engine: AsyncEngine
    logins: dict[str, str]

    @classmethod
    async def start(cls, data_dir: Path, *, roster: dict[str, Any] | None = None,
                    restore: Callable[[EmbeddedRuntime], None] | None = None) -> Pipeline:
        """A running broker and database, migrated, with the demo township, or `roster`, or
        what `restore` puts into the empty database (e.g. a dump) before the migrations."""
        runtime = EmbeddedRuntime(data_dir)
        runtime.start()
        settings = Settings(kafka_url=runtime.kafka_url, database_url=runtime.database_url, data_dir=data_dir)
        if restore is not None:
            await asyncio.to_thread(restore, runtime)
        await asyncio.to_thread(upgrade_to_head, runtime.owner_database_url or "")
        engine = create_engine(runtime.database_url or "", pool_size=2)
        if roster is not None:
            await bootstrap("", engine=engine).app.handle(ImportRoster(SETUP, roster, "benchmark roster"))
        logins = await prepare_system(settings, _endpoints(runtime), demo=True)
        return cls(runtime, settings, engine, logins)

    async def close(self) -> None:
        await self.engine.dispose()
        self.runtime.stop()

    def worker(self, name: str = "worker", **env: str) -> WorkerProcess:
        return WorkerProcess(self.runtime, name, env)

    def api_server(self, port: int) -> WorkerProcess:
        return WorkerProcess(self.runtime, "api", {"MINQING_API_PORT": str(port)}, command="api")

    async def mixed_events(self, count: int, seed: int, residents_per_village: int = 25) -> list[tuple[str, dict[str, Any]]]:
        roster = await current_roster_document(_endpoints(self.runtime))
        now = datetime.now(SHANGHAI)
        return simulate.ending_by(simulate.mixed_events(roster, count, seed=seed, start=now - timedelta(hours=2),
                                                        residents_per_village=residents_per_village), now)

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

def _endpoints(runtime: EmbeddedRuntime) -> Any:
    return runtime.endpoints


def encoded(settings: Settings, events: Iterable[tuple[str, dict[str, Any]]]) -> list[tuple[str, bytes, bytes]]:
    return [(settings.topic(topic), str(event["event_id"]).encode(), orjson.dumps(event)) for topic, event in events]
