"""`/metrics` counts what really went through the pipeline: events produced to the broker,
taken in by the `minqing worker` process, read back from the API's `/metrics` (the worker's
counts reach it through the machine's shared metrics directory, as under `minqing up`)."""
from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_api
from infra.bootstrap import bootstrap, health_probe
from infra.settings import Settings
from tests.conftest import hotline_call
from tests.integration.conftest import send, wait_for_case

pytestmark = pytest.mark.integration
TOPIC = "hotline.calls"


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def _events(samples: dict[Any, float], outcome: str) -> float:
    return samples.get(("minqing_events_total", (("outcome", outcome), ("topic", TOPIC))), 0.0)


@pytest.fixture
async def metrics_api(engine: Any, endpoints: Any, settings: Settings, logins: dict[str, str],
                      worker: Any) -> Any:
    shared = Settings(kafka_url=settings.kafka_url, database_url=settings.database_url, data_dir=settings.data_dir,
                      metrics_dir=settings.data_dir / "metrics")
    system = bootstrap(endpoints.database_url, engine=engine)
    app = create_api(system.app, health_probe(system, endpoints.kafka_url, shared))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://minqing",
                                 headers={"Authorization": f"Bearer {logins['admin']}"}) as client:
        yield client


async def _scrape(client: httpx.AsyncClient) -> dict[Any, float]:
    answer = await client.get("/metrics")
    assert answer.status_code == 200, answer.text
    return _samples(answer.text)


def _intake(samples: dict[Any, float]) -> dict[Any, float]:
    """The intake's own samples: other processes' gauges (a notifier's waiting time, say) move
    on their own and say nothing about events in flight."""
    return {key: value for key, value in samples.items() if key[0].startswith("minqing_intake_")
            or key[0] in ("minqing_events_total", "minqing_consumer_lag")}


async def _quiet(client: httpx.AsyncClient, timeout: float = 60) -> dict[Any, float]:
    """Metrics once nothing is left in flight (earlier tests' events all taken in)."""
    deadline = time.monotonic() + timeout
    previous = None
    while time.monotonic() < deadline:
        samples = await _scrape(client)
        lag = samples.get(("minqing_consumer_lag", (("topic", TOPIC),)))
        if lag == 0 and previous is not None and _intake(samples) == _intake(previous):
            return samples
        previous = samples
        await asyncio.sleep(6)  # past the API's 5 s reading of the deployment's gauges
    raise AssertionError("the pipeline did not settle")


async def test_metrics_count_the_events_fed_through_the_pipeline(metrics_api: httpx.AsyncClient,
                                                                 api: Any, producer: Any) -> None:
    before = await _quiet(metrics_api)
    calls = [hotline_call(f"metrics-{uuid.uuid4().hex[:12]}") for _ in range(12)]
    poison = b'{"event_id": "metrics-poison", not json'
    for call in calls:
        await send(producer, TOPIC, call, key=call["event_id"])
    await send(producer, TOPIC, poison, key=f"metrics-poison-{uuid.uuid4().hex[:8]}")
    for call in calls:
        await wait_for_case(api, call["event_id"])

    deadline = time.monotonic() + 30
    while True:
        after = await _scrape(metrics_api)
        opened = _events(after, "opened") - _events(before, "opened")
        rejected = _events(after, "rejected") - _events(before, "rejected")
        if (opened, rejected) == (12, 1) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    assert (opened, rejected) == (12, 1)
    batches = after[("minqing_intake_batch_size_sum", (("topic", TOPIC),))] - \
        before.get(("minqing_intake_batch_size_sum", (("topic", TOPIC),)), 0.0)
    assert batches == 13  # every event was in exactly one stored batch
    assert after[("minqing_intake_latency_seconds_count", (("topic", TOPIC),))] >= 13
    assert after[("minqing_relay_messages_total", (("outbox", "case_events"),))] >= 12
    assert ("minqing_consumer_lag", (("topic", TOPIC),)) in after
    assert any(name == "minqing_db_pool_connections" and ("state", "capacity") in labels
               for name, labels in after)
