"""A call reaches its owner on every channel, in each channel's own format and signature; a
broken channel is retried, dead-lettered and re-sendable while the others deliver; a
redelivered event notifies nobody twice. Real broker, PostgreSQL, worker and SMTP server."""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timezone
from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy import select

from infra.db.tables import (case_events, notification_attempts, notification_dead_letters,
                             notification_deliveries, notifications)
from infra.notify.deliveries import resend
from infra.notify.inbox import delivery_log, list_for, mark_read, unread_count
from infra.notify.notifier import Notifier
from infra.outbox_relay import case_event_message
from infra.settings import Settings, kafka_bootstrap_servers
from tests.integration.notify.conftest import (DINGTALK_SECRET, NOTIFY_GROUP, SMS_ID, SMS_KEY, WEBHOOK_SECRET, call_in,
                                               case_of, notes_of, until)
from tests.integration.notify.receivers import HttpReceiver, Request, SmtpSink

pytestmark = pytest.mark.integration

CALLER_PHONE, CALLER_ID = "13957912345", "330782198001011234"
CONTRACT_FIELDS = {"notification_id", "kind", "recipient_cadre_id", "case_id", "tracking_code", "village_code",
                   "category", "due_at", "text", "created_at"}


def _tc3_valid(request: Request) -> bool:
    """Recompute the TencentCloud v3 signature from the request as received."""
    h = request.headers
    timestamp = int(h["x-tc-timestamp"])
    date = datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")
    canonical = (f"POST\n/\n\ncontent-type:{h['content-type']}\nhost:{h['host'].split(':')[0]}\n"
                 f"x-tc-action:{h['x-tc-action'].lower()}\n\ncontent-type;host;x-tc-action\n"
                 + hashlib.sha256(request.body).hexdigest())
    to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{date}/sms/tc3_request\n" + hashlib.sha256(canonical.encode()).hexdigest()
    key = f"TC3{SMS_KEY}".encode()
    for part in (date, "sms", "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return h["authorization"] == (f"TC3-HMAC-SHA256 Credential={SMS_ID}/{date}/sms/tc3_request, "
                                  f"SignedHeaders=content-type;host;x-tc-action, Signature={expected}")


def _no_pii(blob: bytes | str) -> bool:
    text = blob.decode() if isinstance(blob, bytes) else blob
    return CALLER_PHONE not in text and CALLER_ID not in text


async def test_a_call_notifies_its_owner_on_every_channel_in_each_format(
        notifier: Notifier, producer: AIOKafkaProducer, settings: Settings, engine: Any, receiver: HttpReceiver,
        smtp: SmtpSink) -> None:
    event_id = await call_in(producer, settings, summary=f"停水三天，我的电话{CALLER_PHONE}，身份证{CALLER_ID}",
                             caller={"name": "王秀英", "phone": CALLER_PHONE, "id_number": CALLER_ID,
                                     "anonymous": False, "sms_opt_in": True})
    case = await case_of(engine, event_id)

    async def webhook_bodies() -> list[dict[str, Any]]:
        return [b for b in (r.json() for r in receiver.on("/webhook")) if b["case_id"] == case["case_id"]]
    bodies = await until(webhook_bodies, what="the webhook")
    owner = next(b for b in bodies if b["recipient_cadre_id"] == "v1-dir")
    assert set(owner) == CONTRACT_FIELDS and owner["kind"] == "case_assigned"
    assert owner["tracking_code"] == case["tracking_code"] and owner["village_code"] == "330782101201"
    assert owner["text"].startswith("【民情】新案件")
    sent = next(r for r in receiver.on("/webhook") if r.json()["notification_id"] == owner["notification_id"])
    assert sent.headers["x-minqing-signature"] == "sha256=" + hmac.new(
        WEBHOOK_SECRET.encode(), sent.body, hashlib.sha256).hexdigest()

    def dingtalk_for(r: Request) -> bool:
        return case["tracking_code"] in r.json()["text"]["content"]
    ding = await until(lambda: _ready([r for r in receiver.on("/dingtalk") if dingtalk_for(r)]), what="DingTalk")
    signed = ding[0].query
    expected = base64.b64encode(hmac.new(DINGTALK_SECRET.encode(), f"{signed['timestamp']}\n{DINGTALK_SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert signed["access_token"] == "tok" and signed["sign"] == expected  # parse_qs undid the URL quoting
    assert abs(int(signed["timestamp"]) - datetime.now(timezone.utc).timestamp() * 1000) < 120_000
    assert ding[0].json()["msgtype"] == "text" and ding[0].json()["at"]["atMobiles"]

    sms = await until(lambda: _ready([r for r in receiver.on("/sms") if case["tracking_code"] in r.body.decode()]),
                      what="SMS")
    assert all(_tc3_valid(r) for r in sms)
    to_petitioner = [r.json() for r in sms if r.json()["PhoneNumberSet"] == [f"+86{CALLER_PHONE}"]]
    assert len(to_petitioner) == 1 and to_petitioner[0]["TemplateParamSet"] == [case["tracking_code"]]

    mails = await until(lambda: _ready([m for m in smtp.mails if case["tracking_code"].encode() in m.content]),
                        what="e-mail")
    assert {r for m in mails for r in m.recipients} >= {"v1-dir@test.example"}
    subject = str(make_header(decode_header(message_from_bytes(mails[0].content)["Subject"])))
    assert subject.startswith("【民情】新的承办案件")

    # no channel ever carried the petitioner's phone or ID number in what it said
    for request in receiver.requests:
        if case["tracking_code"] in request.body.decode():
            payload = request.json()
            content = orjson.dumps({k: v for k, v in payload.items() if k != "PhoneNumberSet"})
            assert _no_pii(content)
    assert all(_no_pii(m.content) for m in mails)
    assert all(_no_pii(n["text"]) for n in await notes_of(engine, case["case_id"]))


async def _ready(items: list[Any]) -> list[Any]:
    return items


async def test_a_broken_channel_is_retried_then_dead_lettered_while_the_others_deliver(
        notifier: Notifier, producer: AIOKafkaProducer, settings: Settings, engine: Any) -> None:
    case = await case_of(engine, await call_in(producer, settings))

    async def wecom_dead() -> Any:
        async with engine.connect() as conn:
            return (await conn.execute(select(notification_deliveries).join(
                notifications, notifications.c.notification_id == notification_deliveries.c.notification_id).where(
                notifications.c.case_id == case["case_id"], notifications.c.recipient_cadre_id == "v1-dir",
                notification_deliveries.c.channel == "wecom", notification_deliveries.c.status == "dead"))).first()
    dead = await until(wecom_dead, what="WeCom dead-lettered")

    async def settled() -> dict[str, str] | None:
        async with engine.connect() as conn:
            states = {channel: status for channel, status in await conn.execute(
                select(notification_deliveries.c.channel, notification_deliveries.c.status)
                .where(notification_deliveries.c.notification_id == dead.notification_id))}
        return states if set(states.values()) <= {"sent", "dead"} else None
    others = await until(settled, what="every channel settled")
    async with engine.connect() as conn:
        attempts = (await conn.execute(select(notification_attempts.c.outcome).where(
            notification_attempts.c.delivery_id == dead.id).order_by(notification_attempts.c.id))).scalars().all()
        letter = (await conn.execute(select(notification_dead_letters).where(
            notification_dead_letters.c.delivery_id == dead.id))).one()
    assert attempts == ["failed", "failed", "gave_up"]
    assert letter.attempts == 3 and "503" in letter.error
    assert others == {"webhook": "sent", "dingtalk": "sent", "wecom": "dead", "email": "sent", "sms": "sent"}
    async with engine.connect() as conn:
        log = await delivery_log(conn, notification_id=dead.notification_id)
    assert {d["channel"]: len(d["attempt_log"]) for d in log}["wecom"] == 3
    assert next(d for d in log if d["channel"] == "sms")["address"].count("*") == 4  # masked

    async with engine.begin() as conn:  # the admin re-sends: it goes through the same retries again
        assert await resend(conn, [dead.id], datetime.now(timezone.utc)) == 1

    async def retried() -> bool:
        async with engine.connect() as conn:
            count = (await conn.execute(select(notification_attempts.c.id).where(
                notification_attempts.c.delivery_id == dead.id))).all()
        return len(count) >= 4
    await until(retried, what="the re-send's attempt")


async def test_a_redelivered_event_notifies_nobody_twice(
        notifier: Notifier, producer: AIOKafkaProducer, settings: Settings, engine: Any,
        receiver: HttpReceiver) -> None:
    case = await case_of(engine, await call_in(producer, settings))
    await until(lambda: _ready([r for r in receiver.on("/webhook") if r.json()["case_id"] == case["case_id"]]),
                what="first delivery")
    before = await notes_of(engine, case["case_id"])
    async with engine.connect() as conn:
        rows = (await conn.execute(select(case_events).where(case_events.c.case_id == case["case_id"]))).all()
    topic = settings.topic("case.events")
    for _ in range(2):
        for row in rows:
            await producer.send_and_wait(topic, orjson.dumps(case_event_message(row)), key=row.case_id.encode())
    await _group_caught_up(settings, topic)
    after = await notes_of(engine, case["case_id"])
    assert sorted(n["notification_id"] for n in after) == sorted(n["notification_id"] for n in before)
    bodies = [r.json() for r in receiver.on("/webhook") if r.json()["case_id"] == case["case_id"]]
    assert len(bodies) == len({b["notification_id"] for b in bodies}) == len(before)


async def _group_caught_up(settings: Settings, topic: str, timeout: float = 30.0) -> None:
    consumer = AIOKafkaConsumer(group_id=NOTIFY_GROUP, enable_auto_commit=False,
                                bootstrap_servers=kafka_bootstrap_servers(settings.kafka_url or ""))
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or range(settings.partitions)]
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)

        async def caught_up() -> bool:
            committed = {tp: await consumer.committed(tp) or 0 for tp in partitions}
            return all(committed[tp] >= ends[tp] for tp in partitions)
        await until(caught_up, timeout, "the notifier's group catching up")
    finally:
        await consumer.stop()


async def test_the_notification_centre_lists_unread_first_and_marks_read(notifier: Notifier, engine: Any,
                                                                         producer: AIOKafkaProducer,
                                                                         settings: Settings) -> None:
    case = await case_of(engine, await call_in(producer, settings))
    mine = await until(lambda: _mine(engine, case["case_id"]), what="the owner's notification")
    async with engine.begin() as conn:
        unread = await unread_count(conn, "v1-dir")
        assert await mark_read(conn, "v1-dir", mine["notification_id"], datetime.now(timezone.utc))
        assert not await mark_read(conn, "v1-ddir", mine["notification_id"], datetime.now(timezone.utc))
        assert await unread_count(conn, "v1-dir") == unread - 1
        listed = await list_for(conn, "v1-dir", limit=1000)
    read_flags = [n["read_at"] is not None for n in listed]
    assert read_flags == sorted(read_flags) and mine["notification_id"] in [n["notification_id"] for n in listed]


async def _mine(engine: Any, case_id: str) -> dict[str, Any] | None:
    return next((n for n in await notes_of(engine, case_id) if n["recipient_cadre_id"] == "v1-dir"), None)
