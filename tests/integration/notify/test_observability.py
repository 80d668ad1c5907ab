"""The notifier is observable: it counts what it stores and sends (`/metrics`), and `/healthz`
tells an admin how notifying keeps up — the notifiers' lag, what is due, what gave up."""
from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_api
from infra.bootstrap import bootstrap, health_probe
from infra.notify.notifier import Notifier
from infra.runtime.embedded import Endpoints
from infra.settings import Settings
from tests.integration.notify.conftest import call_in, case_of, until
from tests.integration.notify.receivers import HttpReceiver

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def admin_api(engine: Any, endpoints: Endpoints, settings: Settings,
                    logins: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    system = bootstrap(endpoints.database_url, engine=engine)
    app = create_api(system.app, health_probe(system, endpoints.kafka_url, settings))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://minqing",
                                 headers={"Authorization": f"Bearer {logins['admin']}"}) as client:
        yield client


def _value(text: str, name: str, **labels: str) -> float:
    return sum(s.value for family in text_string_to_metric_families(text) for s in family.samples
               if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))


async def test_metrics_and_health_follow_a_notification_to_the_webhook(
        notifier: Notifier, producer: AIOKafkaProducer, settings: Settings, engine: Any, receiver: HttpReceiver,
        admin_api: httpx.AsyncClient) -> None:
    before = (await admin_api.get("/metrics")).text
    case = await case_of(engine, await call_in(producer, settings))
    await until(lambda: _async([r for r in receiver.on("/webhook") if r.json()["case_id"] == case["case_id"]]),
                what="the webhook")

    async def counted() -> str | None:
        text = (await admin_api.get("/metrics")).text
        sent = _value(text, "minqing_notifications_total", channel="webhook", result="sent")
        return text if sent > _value(before, "minqing_notifications_total", channel="webhook", result="sent") else None
    text = await until(counted, what="the webhook's sent count")
    assert _value(text, "minqing_notifications_total", channel="in_app", result="stored") > _value(
        before, "minqing_notifications_total", channel="in_app", result="stored")
    assert _value(text, "minqing_notification_seconds_count", channel="webhook") >= 1
    assert any(s.name == "minqing_notification_oldest_due_seconds"
               for family in text_string_to_metric_families(text) for s in family.samples)

    health = await admin_api.get("/healthz")
    notifying = health.json()["notifications"]
    assert set(notifying["consumer_lag"]) == {settings.topic("case.events"), settings.topic("alerts")}
    assert notifying["attempts_last_hour"].get("sent", 0) >= 1
    assert notifying["last_notification_at"] is not None and notifying["oldest_due_seconds"] >= 0
    anonymous = await admin_api.get("/healthz", headers={"Authorization": ""})
    assert "notifications" not in anonymous.json()


async def _async(value: Any) -> Any:
    return value
