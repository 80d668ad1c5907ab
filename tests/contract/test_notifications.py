"""The Notifications repository, one contract on memory and on PostgreSQL: the same rows
seeded on both, the same use cases, the same answers (order, counts, reading once, someone
else's never, preferences, the delivery log with its attempts, re-send, dead letters)."""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from infra.bootstrap import bootstrap, bootstrap_memory
from infra.demo.township import demo_roster
from infra.memory.store import MemoryStore
from infra.services.app import Minqing
from infra.services.errors import NotFound
from infra.services.notifications import (ListDeliveries, ListNotificationDeadLetters, ListNotifications,
                                          MarkAllRead, MarkRead, ReadPreferences, ResendDelivery, SetPreferences)
from models.access import Actor, Role
from models.roster import Roster
from tests.contract.conftest import Clock
from tests.notification_rows import Attempt, MemorySeeder, Seeder, SqlSeeder, delivery, note

pytestmark = pytest.mark.integration
ADMIN = Actor(Role.ADMIN)


@pytest.fixture(params=["memory", "postgres"])
async def backend(request: pytest.FixtureRequest, engine: Any) -> AsyncIterator[tuple[Minqing, Seeder, Clock]]:
    clock = Clock()
    if request.param == "memory":
        store = MemoryStore.with_roster(Roster.from_contract(demo_roster()), clock())
        yield bootstrap_memory(store, clock, routing_wait=0), MemorySeeder(store), clock
    else:
        yield bootstrap("", engine=engine, clock=clock, routing_wait=0).app, SqlSeeder(engine), clock


def _someone() -> Actor:
    """A recipient of this test alone (the PostgreSQL database is shared by the session)."""
    return Actor(Role.CADRE, f"c-{uuid.uuid4().hex[:12]}")


async def test_own_notifications_unread_first_then_newest(backend: tuple[Minqing, Seeder, Clock]) -> None:
    app, seed, clock = backend
    me, other = _someone(), _someone()
    now = clock()
    rows = [note(me.cadre_id or "", now - timedelta(hours=2)), note(me.cadre_id or "", now - timedelta(hours=1)),
            note(me.cadre_id or "", now, read_at=now), note(other.cadre_id or "", now),
            note(me.cadre_id or "", now, audience="petitioner", kind="petitioner_registered")]
    await seed.notes(*rows)
    page = await app.handle(ListNotifications(me, limit=10))
    assert [n["notification_id"] for n in page.items] == [rows[i]["notification_id"] for i in (1, 0, 2)]
    assert (page.total, page.unread) == (3, 2)
    assert page.items[0]["text"] == rows[1]["text"] and page.items[0]["created_at"] == rows[1]["created_at"]
    second = await app.handle(ListNotifications(me, limit=1, offset=1, unread_only=True))
    assert [n["notification_id"] for n in second.items] == [rows[0]["notification_id"]]


async def test_reading_is_the_recipients_alone_and_once(backend: tuple[Minqing, Seeder, Clock]) -> None:
    app, seed, clock = backend
    me, other = _someone(), _someone()
    mine, theirs = note(me.cadre_id or "", clock()), note(other.cadre_id or "", clock())
    await seed.notes(mine, theirs, note(me.cadre_id or "", clock()))
    with pytest.raises(NotFound):
        await app.handle(MarkRead(me, theirs["notification_id"]))
    assert (await app.handle(ListNotifications(other))).unread == 1
    first = await app.handle(MarkRead(me, mine["notification_id"]))
    assert first["read_at"] == clock() and first["unread"] == 1
    clock.now += timedelta(minutes=3)
    assert (await app.handle(MarkRead(me, mine["notification_id"])))["read_at"] == first["read_at"]
    assert await app.handle(MarkAllRead(me)) == 1
    assert (await app.handle(ListNotifications(me))).unread == 0


async def test_preferences_round_trip_with_defaults(backend: tuple[Minqing, Seeder, Clock]) -> None:
    app, _, _ = backend
    cadre = "v3-m1"
    await app.handle(SetPreferences(ADMIN, cadre, ("sms", "email"), False, "m1@example.org"))
    read = await app.handle(ReadPreferences(Actor(Role.CADRE, cadre)))
    assert (read["channels"], read["quiet_hours"], read["email"]) == (["email", "sms"], False, "m1@example.org")
    await app.handle(SetPreferences(Actor(Role.CADRE, cadre), None, ("dingtalk", "wecom"), True, None))
    again = await app.handle(ReadPreferences(ADMIN, cadre))
    assert (again["channels"], again["quiet_hours"], again["email"]) == (["dingtalk", "wecom"], True, None)


async def test_delivery_log_resend_and_dead_letters(backend: tuple[Minqing, Seeder, Clock]) -> None:
    app, seed, clock = backend
    now = clock()
    n = note(_someone().cadre_id or "", now, tracking_code="MQ-CONTRACT")
    await seed.notes(n)
    sent = await seed.delivery(delivery(n["notification_id"], "sms", "sent", now, address="13812345678", attempts=2),
                               [Attempt("failed", "timeout"), Attempt("sent")])
    dead = await seed.delivery(delivery(n["notification_id"], "email", "dead", now, address="someone@example.org",
                                        attempts=2, last_error="550"),
                               [Attempt("failed", "451"), Attempt("gave_up", "550")], dead_at=now)
    log = await app.handle(ListDeliveries(ADMIN, notification_id=n["notification_id"]))
    assert [d["id"] for d in log] == [dead, sent]
    assert [(a["attempt"], a["outcome"], a["error"]) for a in log[1]["attempt_log"]] == [(1, "failed", "timeout"),
                                                                                         (2, "sent", None)]
    assert (log[0]["address"], log[1]["address"]) == ("s***@example.org", "138****5678")
    assert (log[0]["kind"], log[0]["tracking_code"], log[0]["audience"]) == ("case_assigned", "MQ-CONTRACT", "cadre")
    only_dead = await app.handle(ListDeliveries(ADMIN, notification_id=n["notification_id"], status="dead"))
    assert [d["id"] for d in only_dead] == [dead]
    assert dead in [x["delivery_id"] for x in await app.handle(ListNotificationDeadLetters(ADMIN, limit=10_000))]
    clock.now += timedelta(seconds=30)
    again = await app.handle(ResendDelivery(ADMIN, dead))
    assert (again["status"], again["attempts"], again["next_attempt_at"]) == ("pending", 0, clock())
    assert dead not in [x["delivery_id"] for x in await app.handle(ListNotificationDeadLetters(ADMIN, limit=10_000))]
    resent = [x for x in await app.handle(ListNotificationDeadLetters(ADMIN, include_resent=True, limit=10_000))
              if x["delivery_id"] == dead]
    assert [x["resent_at"] for x in resent] == [clock()]
