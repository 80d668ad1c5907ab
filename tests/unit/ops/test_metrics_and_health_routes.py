"""`/metrics` and `/healthz` as a scraper, a probe and a stranger see them (no database: the
API's own metrics and answers must not depend on one)."""
from __future__ import annotations

import ipaddress
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from api.app import create_api
from infra.bootstrap import bootstrap
from infra.kafka_access import KafkaAccess
from infra.operations import Operations
from infra.schema_version import SchemaState, SchemaWatch

SCRAPER = ("10.1.2.3", 40000)


class _Schema:
    def __init__(self, state: SchemaState) -> None:
        self._state = state

    async def state(self) -> SchemaState:
        return self._state


def _app(schema: Any = None) -> Any:
    system = bootstrap("postgresql+asyncpg://nobody@127.0.0.1:9/none", clock=lambda: datetime.now(timezone.utc))
    operations = Operations(engine=system.engine, clock=system.clock, topic_of=system.app.topic,
                            kafka=KafkaAccess("127.0.0.1:9"), schema=schema or SchemaWatch(system.engine),
                            metrics_networks=(ipaddress.ip_network("10.0.0.0/8"),))
    return create_api(system.app, operations)


def _client(app: Any, client: tuple[str, int] = ("192.0.2.9", 5555)) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=client, raise_app_exceptions=False),
                             base_url="http://minqing")


def _samples(text: str, name: str) -> list[Any]:
    return [s for family in text_string_to_metric_families(text) for s in family.samples if s.name == name]


async def test_metrics_need_an_admin_or_a_scraper_network() -> None:
    app = _app()
    async with _client(app) as stranger:
        assert (await stranger.get("/metrics")).status_code == 401
    async with _client(app, SCRAPER) as scraper:
        answer = await scraper.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert list(text_string_to_metric_families(answer.text))  # the Prometheus parser reads it


async def test_http_latency_is_counted_by_route_template_and_status() -> None:
    app = _app()
    async with _client(app, SCRAPER) as client:
        await client.get("/ui/")
        await client.get("/api/v1/track/MQ-SECRET-CODE")  # the database is down: 5xx, counted all the same
        await client.get("/no/such/page")
        text = (await client.get("/metrics")).text
    counts = {(s.labels["route"], s.labels["status"]) for s in _samples(text, "minqing_http_request_seconds_count")}
    assert ("/ui/", "200") in counts
    assert any(route == "/api/v1/track/{tracking_code}" for route, _ in counts)
    assert ("unmatched", "404") in counts
    assert "MQ-SECRET-CODE" not in text and "/no/such/page" not in text  # no unbounded labels


async def test_healthz_without_a_token_says_only_ok_or_degraded() -> None:
    async with _client(_app()) as probe:
        answer = await probe.get("/healthz")
    assert answer.status_code == 503
    assert answer.json() == {"status": "degraded"}
    assert answer.headers["cache-control"] == "no-store"


async def test_an_api_behind_the_schema_does_no_work_and_says_why() -> None:
    behind = SchemaState(False, "0003", "0004", "the database schema is at 0003 but this code needs 0004: "
                                                 "run `minqing migrate`")
    async with _client(_app(_Schema(behind))) as client:
        work = await client.get("/api/v1/cases")
        page = await client.get("/ui/")
        health = await client.get("/healthz")
    assert work.status_code == 503
    assert work.json()["code"] == "schema.behind" and "minqing migrate" in work.json()["detail"]
    assert work.json()["params"] == {"database": "0003", "code": "0004"}
    assert page.status_code == 200
    assert health.status_code == 503 and health.json() == {"status": "degraded"}


@pytest.mark.parametrize("schema", [SchemaState(True, "0004", "0004"),
                                    SchemaState(False, None, "0004", "cannot read", known=False)])
async def test_a_ready_or_unknown_schema_lets_requests_through(schema: SchemaState) -> None:
    async with _client(_app(_Schema(schema))) as client:
        answer = await client.get("/api/v1/cases")
    assert answer.status_code == 401  # reached the route: it wants a token
