"""A notifier running in the test's own loop against the shared broker, PostgreSQL and
worker, with every channel pointed at local stand-ins; WeCom's endpoint is broken on purpose."""
from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import select

from api.app import create_api
from infra.bootstrap import Clock, bootstrap
from infra.db.tables import cases, notifications
from infra.notify.commands import notifier_for
from infra.notify.inbox import set_preferences
from infra.notify.notifier import Notifier
from infra.runtime.embedded import Endpoints
from infra.settings import Settings, kafka_bootstrap_servers
from infra.tokens import create_token
from models.notification_channels import Preferences
from models.notifications import CADRE_KINDS, PETITIONER_KINDS
from tests.conftest import hotline_call
from tests.integration.conftest import send
from tests.kafka_groups import latest, reset_group
from tests.integration.notify.receivers import HttpReceiver, SmtpSink

pytestmark = pytest.mark.integration

SHANGHAI = timezone(timedelta(hours=8))
WEBHOOK_SECRET, DINGTALK_SECRET = "whsec-test", "SECdingtalk-test"
SMS_ID, SMS_KEY = "AKIDtestnotify", "sms-secret-key"
# cadres whose every channel is on, day and night, so the tests do not depend on the hour
LOUD = ("v1-dir", "v1-ddir", "v1-m1", "v1-sec", "t-lead1", "t-sec")
# The notifier under test has a consumer group of its own: a `minqing notify` of an earlier
# module on the shared broker may still be a member of the default group, and would share out
# the partitions (and refuse this group's offset commits while it is remembered).
NOTIFY_GROUP = f"minqing-notify-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def receiver() -> Iterator[HttpReceiver]:
    with HttpReceiver() as r:
        yield r


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


def notify_settings(settings: Settings, receiver: HttpReceiver, smtp: SmtpSink, **more: Any) -> Settings:
    return settings.model_copy(update={
        "notify_webhook_url": f"{receiver.url}/webhook", "notify_webhook_secret": _secret(WEBHOOK_SECRET),
        "dingtalk_webhook": f"{receiver.url}/dingtalk?access_token=tok", "dingtalk_secret": _secret(DINGTALK_SECRET),
        "wecom_webhook": f"{receiver.url}/broken?key=k",
        "smtp_url": f"smtp://127.0.0.1:{smtp.port}?from=minqing@test.example",
        "sms_provider": "tencent", "sms_secret_id": SMS_ID, "sms_secret_key": _secret(SMS_KEY),
        "sms_sdk_app_id": "1400000001", "sms_sign_name": "民情", "sms_endpoint": f"{receiver.url}/sms",
        "sms_templates": {kind: f"tpl-{i}" for i, kind in enumerate(CADRE_KINDS + PETITIONER_KINDS)},
        "public_url": "https://mq.test.example", "notify_max_attempts": 3, "notify_retry_seconds": 0.2,
        "notify_timeout_seconds": 3.0, "notify_group": NOTIFY_GROUP, **more})


def _secret(value: str) -> Any:
    from pydantic import SecretStr
    return SecretStr(value)


@pytest.fixture(scope="module")
async def notifier(worker: Any, settings: Settings, endpoints: Endpoints, engine: Any, receiver: HttpReceiver,
                   smtp: SmtpSink) -> AsyncIterator[Notifier]:
    now = Clock()()
    async with engine.begin() as conn:
        for cadre in LOUD:
            await set_preferences(conn, cadre, Preferences(frozenset({"dingtalk", "wecom", "email", "sms"}), False,
                                                           f"{cadre}@test.example"), "test", now)
    settings = notify_settings(settings, receiver, smtp)
    await _commit_where_the_topics_end(settings)
    async with notifier_for(settings, endpoints) as running:
        stop = asyncio.Event()
        task = asyncio.create_task(running.run(stop))
        yield running
        stop.set()
        await asyncio.wait_for(task, 30)


async def _commit_where_the_topics_end(settings: Settings) -> None:
    """The notifier under test starts where its topics end now. Earlier tests on the shared
    broker left thousands of case events; a notifier reading them all first (as a new
    deployment's rightly does) would keep these tests waiting behind them."""
    await reset_group(kafka_bootstrap_servers(settings.kafka_url or ""), settings.notify_group,
                      [settings.topic("case.events"), settings.topic("alerts")], settings.partitions, latest)


@pytest.fixture(scope="module")
async def as_(engine: Any, logins: dict[str, str]) -> Callable[[str], dict[str, str]]:
    people = {"t-op1": "operator", "t-lead1": "leader", "t-sec": "leader", "v1-dir": "cadre", "v1-ddir": "cadre"}
    issued = {}
    async with engine.begin() as conn:
        for cadre, role in people.items():
            issued[cadre] = await create_token(conn, role=role, cadre_id=cadre, now=Clock()(), label="notify test")
    return lambda cadre: {"Authorization": f"Bearer {issued[cadre]}"}


@pytest.fixture(scope="module")
async def client(engine: Any, endpoints: Endpoints) -> AsyncIterator[httpx.AsyncClient]:
    app = create_api(bootstrap(endpoints.database_url, engine=engine).app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://minqing") as c:
        yield c


async def until(check: Callable[[], Awaitable[Any]], timeout: float = 30.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = await check()
        if result:
            return result
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} not within {timeout}s")


async def call_in(producer: AIOKafkaProducer, settings: Settings, **overrides: Any) -> str:
    event_id = f"n-{uuid.uuid4().hex[:20]}"
    await send(producer, settings.topic("hotline.calls"), hotline_call(event_id, **overrides), key=event_id)
    return event_id


async def case_of(engine: Any, event_id: str, timeout: float = 30.0) -> dict[str, Any]:
    async def found() -> dict[str, Any] | None:
        async with engine.connect() as conn:
            row = (await conn.execute(select(cases).where(cases.c.source_event_id == event_id))).first()
        return dict(row._mapping) if row else None
    return await until(found, timeout, f"a case for {event_id}")  # type: ignore[no-any-return]


async def notes_of(engine: Any, case_id: str) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        rows = await conn.execute(select(notifications).where(notifications.c.case_id == case_id))
        return [dict(r._mapping) for r in rows]


def ago(**delta: float) -> str:
    return (datetime.now(SHANGHAI) - timedelta(**delta)).replace(microsecond=0).isoformat()
