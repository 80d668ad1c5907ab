"""The running system the integration and browser tests share, started once per session
when a test first asks for it: a real Tansu broker, a real PostgreSQL, the demo township and
a `minqing worker` process; and, for a test module that asks, a `minqing notify` process.
(A plugin, so both test folders use the same one.)"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from api.app import create_api
from infra.bootstrap import bootstrap, health_probe
from infra.db.engine import create_engine
from infra.db.migrate import upgrade_to_head
from infra.runtime.embedded import EmbeddedRuntime, Endpoints
from infra.settings import Settings, kafka_bootstrap_servers
from infra.setup import prepare_system


@pytest.fixture(scope="session")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRuntime]:
    with EmbeddedRuntime(tmp_path_factory.mktemp("runtime")) as rt:
        yield rt


@pytest.fixture(scope="session")
def endpoints(runtime: EmbeddedRuntime) -> Endpoints:
    return runtime.endpoints


@pytest.fixture(scope="session")
def settings(endpoints: Endpoints, runtime: EmbeddedRuntime) -> Settings:
    return Settings(kafka_url=endpoints.kafka_url, database_url=endpoints.database_url, data_dir=runtime.data_dir)


@pytest.fixture(scope="session")
async def logins(settings: Settings, endpoints: Endpoints) -> dict[str, str]:
    await asyncio.to_thread(upgrade_to_head, endpoints.migration_url)
    return await prepare_system(settings, endpoints, demo=True)


@pytest.fixture(scope="session")
def worker(logins: dict[str, str], endpoints: Endpoints, runtime: EmbeddedRuntime) -> Iterator[subprocess.Popen[bytes]]:
    log = open(runtime.data_dir / "worker.log", "wb")  # noqa: SIM115
    # the worker writes its metrics where the tests' API reads them (as under `minqing up`)
    env = {**os.environ, "MINQING_KAFKA_URL": endpoints.kafka_url, "MINQING_DATABASE_URL": endpoints.database_url,
           "MINQING_DATA_DIR": str(runtime.data_dir), "MINQING_METRICS_DIR": str(runtime.data_dir / "metrics")}
    process = subprocess.Popen([sys.executable, "-m", "infra.cli", "worker"], env=env, stdout=log,
                               stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[2])
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def notify_env() -> dict[str, str]:
    """Settings of the module's `minqing notify` (a module overrides it, e.g. with a webhook URL)."""
    return {}


@pytest.fixture(scope="module")
async def notify_process(worker: Any, endpoints: Endpoints, runtime: EmbeddedRuntime, settings: Settings,
                         notify_env: dict[str, str]) -> AsyncIterator[subprocess.Popen[bytes]]:
    """A `minqing notify` for one test module, caught up with `case.events` and `alerts` before
    the module's tests start. Per module, not per session: the notifier tests run their own
    notifier in the same consumer group, with channels of their own."""
    log = open(runtime.data_dir / "notify.log", "ab")  # noqa: SIM115
    env = {**os.environ, "MINQING_KAFKA_URL": endpoints.kafka_url, "MINQING_DATABASE_URL": endpoints.database_url,
           "MINQING_DATA_DIR": str(runtime.data_dir), **notify_env}
    process = subprocess.Popen([sys.executable, "-m", "infra.cli", "notify"], env=env, stdout=log,
                               stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[1])
    try:
        await _caught_up(settings, endpoints, process)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


async def _caught_up(settings: Settings, endpoints: Endpoints, process: subprocess.Popen[bytes],
                     timeout: float = 90.0) -> None:
    from infra.ops_signals import offsets_of

    options = {"bootstrap_servers": kafka_bootstrap_servers(endpoints.kafka_url)}
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"minqing notify exited with code {process.returncode}")
        offsets = await offsets_of(settings.notify_group, [settings.topic(t) for t in ("case.events", "alerts")],
                                   options)
        if not sum(offsets.lag.values()):
            return
        await asyncio.sleep(0.5)
    raise RuntimeError(f"minqing notify did not catch up within {timeout:.0f} s")


@pytest.fixture(scope="session")
async def engine(endpoints: Endpoints, logins: dict[str, str]) -> AsyncIterator[Any]:
    engine = create_engine(endpoints.database_url, pool_size=4)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def api(engine: Any, endpoints: Endpoints, logins: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    system = bootstrap(endpoints.database_url, engine=engine)
    app = create_api(system.app, health_probe(system, endpoints.kafka_url))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://minqing",
                                 headers={"Authorization": f"Bearer {logins['admin']}"}) as client:
        yield client


@pytest.fixture(scope="session")
async def producer(endpoints: Endpoints) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers(endpoints.kafka_url), acks="all")
    await producer.start()
    yield producer
    await producer.stop()
