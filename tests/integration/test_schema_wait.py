"""A worker or API whose code expects a newer schema than the database has waits and says
why, instead of taking events in (and dead-lettering them as internal errors)."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url

from api.app import create_api
from infra.bootstrap import bootstrap, health_probe
from infra.db.engine import create_engine
from infra.db.migrate import alembic_config
from infra.schema_version import code_lineage, schema_state, wait_for_schema

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def behind(endpoints: Any, engine: Any, runtime: Any) -> AsyncIterator[tuple[str, str]]:
    """A database of its own on the same server, migrated to one revision before the code's
    head: (the application's URL, the owner's URL), as the embedded runtime sets them up."""
    name = f"behind_{uuid.uuid4().hex[:8]}"
    superuser = make_url(endpoints.database_url).set(username="postgres", password=runtime.postgres.secrets.superuser,
                                                     database="postgres")
    admin = create_engine(superuser.render_as_string(hide_password=False), pool_size=1).execution_options(
        isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'create database "{name}" owner minqing_owner'))
    url, owner_url = (make_url(u).set(database=name).render_as_string(hide_password=False)
                      for u in (endpoints.database_url, endpoints.migration_url))
    await asyncio.to_thread(command.upgrade, alembic_config(owner_url), code_lineage()[1])
    owner = create_engine(owner_url, pool_size=1)
    async with owner.begin() as conn:  # what the embedded runtime grants at every start
        await conn.execute(text("grant select on alembic_version to minqing_app"))
    await owner.dispose()
    yield url, owner_url
    async with admin.connect() as conn:
        await conn.execute(text(f'drop database "{name}" with (force)'))
    await admin.dispose()


async def test_a_worker_waits_for_the_migration_and_says_why(behind: tuple[str, str], endpoints: Any,
                                                             tmp_path: Path) -> None:
    behind_url, _ = behind
    log_path = tmp_path / "worker.log"
    env = {**os.environ, "MINQING_KAFKA_URL": endpoints.kafka_url, "MINQING_DATABASE_URL": behind_url,
           "MINQING_DATA_DIR": str(tmp_path), "MINQING_TOPIC_PREFIX": "behind.", "MINQING_LOG_FORMAT": "json",
           "MINQING_SCHEMA_POLL_SECONDS": "0.5"}
    with open(log_path, "wb") as log:
        worker = subprocess.Popen([sys.executable, "-m", "infra.cli", "worker"], env=env, stdout=log,
                                  stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while "run `minqing migrate`" not in log_path.read_text() and time.monotonic() < deadline:
            assert worker.poll() is None, log_path.read_text()
            await asyncio.sleep(0.3)
        said = log_path.read_text()
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(20)
    assert f"the database schema is at {code_lineage()[1]} but this code needs {code_lineage()[0]}" in said
    assert '"component":"worker"' in said
    assert "behind.hotline.calls" not in said  # it never got as far as the broker's topics


async def test_waiting_ends_when_the_schema_arrives(behind: tuple[str, str]) -> None:
    behind_url, owner_url = behind
    engine = create_engine(behind_url, pool_size=1)
    try:
        assert (await schema_state(engine)).behind
        waiting = asyncio.create_task(wait_for_schema(engine, poll_seconds=0.2, component="worker"))
        await asyncio.sleep(1)
        assert not waiting.done()
        await asyncio.to_thread(command.upgrade, alembic_config(owner_url), "head")
        state = await asyncio.wait_for(waiting, 10)
    finally:
        await engine.dispose()
    assert state.ready and state.database == code_lineage()[0]


async def test_the_api_answers_503_with_the_reason_until_migrated(behind: tuple[str, str], endpoints: Any) -> None:
    behind_url, owner_url = behind
    engine = create_engine(behind_url, pool_size=2)
    system = bootstrap(behind_url, engine=engine)
    app = create_api(system.app, health_probe(system, endpoints.kafka_url))
    app.state.health.schema._poll = 0.1  # look again quickly once migrated
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://minqing") as client:
            work = await client.get("/api/v1/cases")
            health = await client.get("/healthz")
            await asyncio.to_thread(command.upgrade, alembic_config(owner_url), "head")
            await asyncio.sleep(0.2)
            after = await client.get("/api/v1/cases")
    finally:
        await engine.dispose()
    assert work.status_code == 503 and work.json()["code"] == "schema.behind"
    assert "run `minqing migrate`" in work.json()["detail"]
    assert health.status_code == 503 and health.json() == {"status": "degraded"}
    assert after.status_code == 401  # through the gate: now it is the missing token that stops it
