"""`minqing notify` killed with SIGKILL in the middle of its work and started again: every
case's owner and handler are notified, nobody twice; the only message a receiver may see
again is one whose sending the kill cut short (at-least-once; it carries the same id).
The webhook answers slowly, so the kill lands while deliveries are under way."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select

from infra.db.tables import cases, notification_attempts, notification_deliveries, notifications
from infra.runtime.embedded import EmbeddedRuntime
from infra.settings import Settings
from tests.integration.notify.conftest import WEBHOOK_SECRET, call_in, until
from tests.integration.notify.receivers import HttpReceiver

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]


def start_notifier(runtime: EmbeddedRuntime, receiver: HttpReceiver, log: Any) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MINQING_KAFKA_URL": runtime.kafka_url or "", "MINQING_DATABASE_URL": runtime.database_url or "",
           "MINQING_DATA_DIR": str(runtime.data_dir), "MINQING_NOTIFY_WEBHOOK_URL": f"{receiver.url}/slow",
           "MINQING_NOTIFY_WEBHOOK_SECRET": WEBHOOK_SECRET}
    return subprocess.Popen([sys.executable, "-m", "infra.cli", "notify"], env=env, stdout=log,
                            stderr=subprocess.STDOUT, cwd=ROOT)


async def _count(engine: Any, event_ids: list[str]) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(notifications).join(
            cases, cases.c.case_id == notifications.c.case_id).where(cases.c.source_event_id.in_(event_ids)))).scalar())


async def _first_arrived(engine: Any, receiver: HttpReceiver, event_ids: list[str]) -> bool:
    """One of this wave's notifications reached the webhook (not a leftover of earlier tests)."""
    async with engine.connect() as conn:
        ours = set((await conn.execute(select(cases.c.case_id).where(cases.c.source_event_id.in_(event_ids))
                    )).scalars())
    return any(r.json()["case_id"] in ours for r in receiver.on("/slow"))


async def _sent(engine: Any, event_ids: list[str]) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(notification_deliveries).join(
            notifications, notifications.c.notification_id == notification_deliveries.c.notification_id).join(
            cases, cases.c.case_id == notifications.c.case_id).where(
            cases.c.source_event_id.in_(event_ids), notification_deliveries.c.status == "sent"))).scalar())


async def test_kill_9_mid_work_loses_nothing_and_notifies_nobody_twice(
        worker: Any, runtime: EmbeddedRuntime, settings: Settings, engine: Any, producer: AIOKafkaProducer,
        receiver: HttpReceiver) -> None:
    log = open(runtime.data_dir / "notify-kill9.log", "ab")  # noqa: SIM115
    wave = [await call_in(producer, settings, dialed_cadre_id=None, category="roads") for _ in range(120)]
    first = start_notifier(runtime, receiver, log)
    try:
        await until(lambda: _first_arrived(engine, receiver, wave), 60, "the first webhook delivery")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert await _sent(engine, wave) < await _count(engine, wave)  # killed with deliveries under way
        wave += [await call_in(producer, settings, dialed_cadre_id=None, category="roads") for _ in range(80)]
        second = start_notifier(runtime, receiver, log)
        try:
            await _all_delivered(engine, wave)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(30)
    finally:
        if first.poll() is None:
            first.kill()
        log.close()

    async with engine.connect() as conn:
        rows = (await conn.execute(select(notifications.c.notification_id, notifications.c.case_id,
                                          notifications.c.recipient_cadre_id, notifications.c.kind).join(
            cases, cases.c.case_id == notifications.c.case_id).where(cases.c.source_event_id.in_(wave)))).all()
        owners = (await conn.execute(select(cases.c.case_id, cases.c.owner_cadre_id, cases.c.handler_cadre_id)
                                     .where(cases.c.source_event_id.in_(wave)))).all()
        cut_short = set((await conn.execute(select(notification_attempts.c.notification_id).where(
            notification_attempts.c.outcome.is_(None), notification_attempts.c.channel == "webhook"))).scalars())
    expected = {(o.case_id, cadre) for o in owners for cadre in (o.owner_cadre_id, o.handler_cadre_id)}
    assert len(owners) == 200
    assert {(r.case_id, r.recipient_cadre_id) for r in rows} == expected
    assert len(rows) == len(expected)  # one notification per case and recipient: nobody twice
    ours = {r.notification_id for r in rows}
    received = Counter(r.json()["notification_id"] for r in receiver.on("/slow"))
    assert ours <= set(received)
    assert {n for n in ours if received[n] > 1} <= cut_short


async def _all_delivered(engine: Any, event_ids: list[str]) -> None:
    async def done() -> bool:
        async with engine.connect() as conn:
            owners = (await conn.execute(select(func.count()).select_from(cases).where(
                cases.c.source_event_id.in_(event_ids)))).scalar()
            pending = (await conn.execute(select(func.count()).select_from(notification_deliveries).join(
                notifications, notifications.c.notification_id == notification_deliveries.c.notification_id).join(
                cases, cases.c.case_id == notifications.c.case_id).where(
                cases.c.source_event_id.in_(event_ids), notification_deliveries.c.status != "sent"))).scalar()
            sent = (await conn.execute(select(func.count()).select_from(notification_deliveries).join(
                notifications, notifications.c.notification_id == notification_deliveries.c.notification_id).join(
                cases, cases.c.case_id == notifications.c.case_id).where(
                cases.c.source_event_id.in_(event_ids)))).scalar()
        return owners == len(event_ids) and pending == 0 and sent >= owners
    await until(done, 120, "every notification delivered")
    await asyncio.sleep(0)
