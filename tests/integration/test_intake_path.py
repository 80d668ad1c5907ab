"""Issue 2's path on real parts: Kafka → faust worker → PostgreSQL → HTTP."""
from __future__ import annotations

import asyncio
import uuid
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy import func, select

from infra.db.tables import case_events, cases, dead_letters
from infra.demo.township import demo_roster
from infra.settings import kafka_bootstrap_servers
from tests.conftest import hotline_call
from tests.integration.conftest import cases_for, send, wait_for_case

pytestmark = pytest.mark.integration


async def test_a_call_becomes_a_case_owned_by_the_dialed_cadre(worker: Any, api: Any, producer: Any,
                                                                event_id: str) -> None:
    await send(producer, "hotline.calls", hotline_call(event_id, dialed_cadre_id="v2-dsec",
                                                       village_code="330782101202"), key=event_id)

    case = await wait_for_case(api, event_id)

    assert case["owner_cadre_id"] == "v2-dsec"
    assert case["handler_cadre_id"] == "v2-dsec"
    assert case["status"] == "assigned"
    assert case["routing"]["rule"] == "visited"
    detail = (await api.get(f"/api/v1/cases/{case['case_id']}")).json()
    assert [entry["type"] for entry in detail["timeline"]] == ["opened", "assigned"]
    assert set(detail["deadlines"]) >= {"first_contact", "handling"}


async def test_a_call_to_nobody_goes_to_the_cadre_responsible_for_the_category(
        worker: Any, api: Any, producer: Any, event_id: str) -> None:
    village = "330782101203"
    responsible = [c["cadre_id"] for c in demo_roster()["cadres"]
                   if c["unit_code"] == village and "roads" in c["responsibilities"]]
    await send(producer, "hotline.calls", hotline_call(event_id, dialed_cadre_id=None, category="roads",
                                                       village_code=village), key=event_id)

    case = await wait_for_case(api, event_id)

    assert [case["owner_cadre_id"]] == responsible
    assert case["routing"]["rule"] == "matrix"


async def test_the_same_event_three_times_makes_one_case(worker: Any, api: Any, producer: Any, engine: Any,
                                                        event_id: str) -> None:
    event = hotline_call(event_id)
    for _ in range(3):
        await send(producer, "hotline.calls", event, key=event_id, partition=0)
    marker = f"{event_id}-after"
    await send(producer, "hotline.calls", hotline_call(marker), key=marker, partition=0)

    await wait_for_case(api, marker)  # same partition, in order: the three copies were consumed first

    assert len(await cases_for(api, event_id)) == 1
    async with engine.connect() as conn:
        stored = (await conn.execute(select(func.count()).select_from(cases)
                                     .where(cases.c.source_event_id == event_id))).scalar_one()
        events = (await conn.execute(select(func.count()).select_from(case_events)
                                     .where(case_events.c.source_event_id == event_id))).scalar_one()
    assert stored == 1
    assert events == 2  # opened + assigned, once


async def _dead_letters_on(kafka_url: str, topic: str, wanted: set[bytes], timeout: float = 20) -> dict[bytes, dict[str, str]]:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=kafka_bootstrap_servers(kafka_url),
                                auto_offset_reset="earliest", group_id=f"test-{uuid.uuid4().hex}",
                                fetch_max_wait_ms=50)
    await consumer.start()
    found: dict[bytes, dict[str, str]] = {}
    try:
        async def collect() -> None:
            while not wanted <= set(found):
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    for record in records:
                        found[record.value] = {k: v.decode() for k, v in record.headers}
        await asyncio.wait_for(collect(), timeout)
    finally:
        await consumer.stop()
    return found


async def test_malformed_events_go_to_the_dead_letter_topic_and_the_partition_keeps_flowing(
        worker: Any, api: Any, producer: Any, engine: Any, endpoints: Any, event_id: str) -> None:
    bad_json = b'{"event_id": "' + event_id.encode() + b'-json", "village_code": '
    missing_village = hotline_call(f"{event_id}-novillage")
    del missing_village["village_code"]
    unknown_cadre = hotline_call(f"{event_id}-nocadre", dialed_cadre_id="nobody-42")
    poison = [bad_json, orjson.dumps(missing_village), orjson.dumps(unknown_cadre)]
    for number, raw in enumerate(poison):
        await send(producer, "hotline.calls", raw, key=f"{event_id}-{number}", partition=0)
    await send(producer, "hotline.calls", hotline_call(event_id), key=event_id, partition=0)

    assert (await wait_for_case(api, event_id))["owner_cadre_id"] == "v1-dir"

    letters = await _dead_letters_on(endpoints.kafka_url, "hotline.calls.dlq", set(poison))
    assert "not valid JSON" in letters[bad_json]["minqing.error"]
    assert "village_code" in letters[poison[1]]["minqing.error"]
    assert "nobody-42" in letters[poison[2]]["minqing.error"]
    for headers in (letters[raw] for raw in poison):
        assert headers["minqing.source.topic"] == "hotline.calls"
        assert headers["minqing.source.partition"] == "0"
        assert int(headers["minqing.source.offset"]) >= 0
    async with engine.connect() as conn:
        stored = (await conn.execute(select(dead_letters.c.value).where(dead_letters.c.value.in_(poison)))).scalars()
        assert set(stored) == set(poison)
    for raw in poison[1:]:
        assert await cases_for(api, orjson.loads(raw)["event_id"]) == []


async def test_healthz_reports_database_and_broker(api: Any) -> None:
    response = await api.get("/healthz")  # the fixture's client carries an admin's token
    public = await api.get("/healthz", headers={"Authorization": ""})

    assert public.status_code == 200 and public.json() == {"status": "ok"}
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert body["schema"]["ready"] is True and body["schema"]["database"] == body["schema"]["code"]
    pipeline = body["pipeline"]
    assert set(pipeline["consumer_lag"]) == {"hotline.calls", "contactcard.feedback", "diary.entries",
                                             "reception.visits"}
    assert all(lag >= 0 for lag in pipeline["consumer_lag"].values())
    assert pipeline["outbox_backlog"] >= 0 and isinstance(pipeline["dead_letters"], dict)
    assert pipeline["relay_lag_seconds"] >= 0 and pipeline["overdue_open_cases"] >= 0
    calendar = body["calendar"]
    assert calendar["provisional_ahead"] == bool(calendar["provisional_years"])
    assert ("warning" in calendar) == calendar["provisional_ahead"]


async def test_reading_cases_needs_a_valid_token(api: Any) -> None:
    anonymous = await api.get("/api/v1/cases", headers={"Authorization": ""})
    forged = await api.get("/api/v1/cases", headers={"Authorization": "Bearer mq_not-a-token"})

    assert anonymous.status_code == 401
    assert forged.status_code == 401
    assert "token" in forged.json()["detail"]
