"""`minqing api`'s own access log (uvicorn, as deployed) after a caller look-up and an Open311
read with the key in the URL: neither the phone number nor the key is in it."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from infra.runtime.embedded import EmbeddedRuntime, Endpoints
from infra.runtime.processes import free_loopback_port
from infra.tokens import create_token

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def api_process(endpoints: Endpoints, runtime: EmbeddedRuntime, logins: Any) -> Iterator[tuple[str, Path]]:
    port = free_loopback_port()
    log_path = runtime.data_dir / f"access-{port}.log"
    env = {**os.environ, "MINQING_KAFKA_URL": endpoints.kafka_url, "MINQING_DATABASE_URL": endpoints.database_url,
           "MINQING_DATA_DIR": str(runtime.data_dir), "MINQING_API_PORT": str(port)}
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "infra.cli", "api"], env=env, stdout=log,
                                   stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"minqing api did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.2)
        yield url, log_path
    finally:
        process.terminate()
        process.wait(15)


async def test_no_phone_number_or_api_key_in_the_access_log(api_process: tuple[str, Path], engine: Any) -> None:
    url, log_path = api_process
    async with engine.begin() as conn:
        operator = await create_token(conn, role="operator", cadre_id="t-op1", now=datetime.now(timezone.utc))
    phone = f"138{uuid.uuid4().int % 10**8:08d}"
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {operator}"}) as client:
        looked_up = await client.post("/api/v1/callers/cases", json={"phone": phone})
        assert looked_up.status_code == 200, looked_up.text
        spec_style = await client.get("/open311/v2/requests.json", params={"api_key": operator, "status": "open"})
        assert spec_style.status_code == 200
    time.sleep(0.5)  # let the server write its lines

    log = log_path.read_text()
    assert "POST /api/v1/callers/cases" in log and "GET /open311/v2/requests.json?api_key=" in log
    assert phone not in log and phone[-8:] not in log
    assert operator not in log and operator[3:15] not in log
