"""The web UI in Debian's Chromium (never a downloaded browser): the real broker, PostgreSQL
and worker of the integration fixtures, `minqing api` in a subprocess, and Playwright.

Screenshots go to a temporary directory, or to `MINQING_SCREENSHOTS` (e.g. docs/screenshots)
when set, so an ordinary test run leaves the repository unchanged."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from infra.demo.logins import set_demo_passwords
from infra.db.tables import cases
from infra.demo import simulate
from infra.demo.township import demo_roster
from infra.producer import produce_events
from infra.runtime.embedded import EmbeddedRuntime, Endpoints
from infra.runtime.processes import free_loopback_port
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.integration

CHROMIUM = os.environ.get("MINQING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[2]
# who logs in by password in these tests
PASSWORD_USERS = ("t-op1", "v1-dir", "t-lead1")


@pytest.fixture(scope="session")
def base_url(endpoints: Endpoints, runtime: EmbeddedRuntime, worker: Any) -> Iterator[str]:
    port = free_loopback_port()
    env = {**os.environ, "MINQING_KAFKA_URL": endpoints.kafka_url, "MINQING_DATABASE_URL": endpoints.database_url,
           "MINQING_DATA_DIR": str(runtime.data_dir), "MINQING_API_PORT": str(port)}
    log = open(runtime.data_dir / "ui-api.log", "wb")  # noqa: SIM115
    process = subprocess.Popen([sys.executable, "-m", "infra.cli", "api"], env=env, stdout=log,
                               stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/ui/", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"minqing api exited: {(runtime.data_dir / 'ui-api.log').read_text()[-2000:]}")
        time.sleep(0.2)
    else:
        raise RuntimeError("minqing api did not answer within 60 s")
    yield url
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="session")
async def demo_passwords(engine: Any) -> str:
    roster = demo_roster()
    wanted = {**roster, "cadres": [c for c in roster["cadres"] if c["cadre_id"] in PASSWORD_USERS]}
    await set_demo_passwords(engine, wanted, datetime.now(timezone.utc))
    from infra.demo.logins import DEMO_PASSWORD
    return DEMO_PASSWORD


@pytest.fixture(scope="session")
async def seeded(settings: Any, endpoints: Endpoints, worker: Any, engine: Any) -> int:
    """For screenshots worth looking at: two weeks of simulated events, some now overdue and
    escalated, all routed before the journey starts (its counts are relative anyway)."""
    if not os.environ.get("MINQING_SCREENSHOTS"):
        return 0
    now = datetime.now(SHANGHAI)
    events = [pair for back in range(14, 0, -1)
              for pair in simulate.mixed_events(demo_roster(), 6, seed=1000 + back, start=now - timedelta(days=back))]
    await produce_events(settings, endpoints.kafka_url, events)
    last, steady_since = -1, time.monotonic()
    while last <= 0 or time.monotonic() - steady_since < 4:
        async with engine.connect() as conn:
            count = (await conn.execute(select(func.count()).select_from(cases))).scalar_one()
        if count != last:
            last, steady_since = count, time.monotonic()
        await asyncio.sleep(0.5)
    return int(last)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install -y chromium (as .ci/run does)")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("MINQING_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
async def new_page(browser: Any, base_url: str) -> AsyncIterator[Any]:
    """`await new_page(width=1280)`: a page in a fresh context (its own sessionStorage)."""
    contexts: list[Any] = []
    problems: list[str] = []

    async def make(width: int = 1280, height: int = 900) -> Any:
        context = await browser.new_context(viewport={"width": width, "height": height}, base_url=base_url,
                                            locale="zh-CN", timezone_id="Asia/Shanghai")
        contexts.append(context)
        page = await context.new_page()
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.set_default_timeout(20_000)
        return page
    yield make
    for context in contexts:
        await context.close()
    assert not problems, problems
