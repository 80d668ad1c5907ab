"""Notifications through the use cases, in memory: a cadre's own centre (unread first, marked
read once), nobody reading another's (404), preferences by the cadre or an admin with coded
refusals, and the admin's delivery log with every attempt, re-send and dead letters."""
from __future__ import annotations

from datetime import timedelta

import pytest

from infra.memory.store import MemoryStore
from infra.services.app import Minqing
from infra.services.errors import Conflict, Forbidden, Invalid, NotFound
from infra.services.notifications import (CountUnread, ListDeliveries, ListNotificationDeadLetters,
                                          ListNotifications, MarkAllRead, MarkRead, ReadPreferences,
                                          ResendDeadLetters, ResendDelivery, SetPreferences)
from tests.notification_rows import Attempt, MemorySeeder, delivery, note
from tests.unit.services.conftest import ADMIN, V1DIR, V1M1, Actor, MovableClock, Role


@pytest.fixture
def seed(store: MemoryStore) -> MemorySeeder:
    return MemorySeeder(store)


async def test_a_cadre_sees_their_own_unread_first_and_newest_first(app: Minqing, seed: MemorySeeder,
                                                                     clock: MovableClock) -> None:
    now = clock()
    old_unread, new_unread = note("v1-dir", now - timedelta(hours=3)), note("v1-dir", now - timedelta(hours=1))
    read = note("v1-dir", now, read_at=now)
    theirs, sms = note("v1-m1", now), note("v1-dir", now, audience="petitioner", kind="petitioner_registered")
    await seed.notes(old_unread, new_unread, read, theirs, sms)
    page = await app.handle(ListNotifications(V1DIR))
    assert [n["notification_id"] for n in page.items] == [new_unread["notification_id"],
                                                          old_unread["notification_id"], read["notification_id"]]
    assert (page.total, page.unread) == (3, 2)
    unread = await app.handle(ListNotifications(V1DIR, unread_only=True, limit=1))
    assert [n["notification_id"] for n in unread.items] == [new_unread["notification_id"]] and unread.total == 2
    assert await app.handle(CountUnread(V1M1)) == 1
    assert (await app.handle(ListNotifications(ADMIN))).items == []


async def test_marking_read_is_for_the_recipient_only_and_keeps_the_first_reading(
        app: Minqing, seed: MemorySeeder, store: MemoryStore, clock: MovableClock) -> None:
    mine, theirs = note("v1-dir", clock()), note("v1-m1", clock())
    await seed.notes(mine, theirs)
    with pytest.raises(NotFound) as refused:
        await app.handle(MarkRead(V1DIR, theirs["notification_id"]))
    assert refused.value.code == "notification.not_found"
    assert store.tables.notifications[theirs["notification_id"]]["read_at"] is None
    with pytest.raises(NotFound):
        await app.handle(MarkRead(ADMIN, mine["notification_id"]))
    first = await app.handle(MarkRead(V1DIR, mine["notification_id"]))
    assert first["read_at"] == clock() and first["unread"] == 0
    clock.advance(minutes=5)
    again = await app.handle(MarkRead(V1DIR, mine["notification_id"]))
    assert again["read_at"] == first["read_at"]


async def test_mark_all_read_touches_only_the_callers_own(app: Minqing, seed: MemorySeeder,
                                                          clock: MovableClock) -> None:
    await seed.notes(*(note("v1-dir", clock() - timedelta(minutes=n)) for n in range(3)), note("v1-m1", clock()))
    assert await app.handle(MarkAllRead(V1DIR)) == 3
    assert await app.handle(CountUnread(V1DIR)) == 0
    assert await app.handle(CountUnread(V1M1)) == 1


async def test_preferences_are_read_and_set_by_the_cadre_or_an_admin(app: Minqing, store: MemoryStore) -> None:
    default = await app.handle(ReadPreferences(V1DIR))
    assert default["channels"] == ["dingtalk", "wecom"] and default["quiet_hours"] is True
    assert (default["quiet_from"], default["quiet_until"]) == ("22:00", "07:00")
    mine = await app.handle(SetPreferences(V1DIR, None, ("sms", "email"), False, "dir@example.org"))
    assert (mine["cadre_id"], mine["channels"], mine["email"]) == ("v1-dir", ["email", "sms"], "dir@example.org")
    by_admin = await app.handle(SetPreferences(ADMIN, "v1-m1", ("wecom",), True, None))
    assert by_admin["cadre_id"] == "v1-m1"
    assert (await app.handle(ReadPreferences(ADMIN, "v1-dir")))["channels"] == ["email", "sms"]
    assert store.tables.notification_preferences["v1-m1"]["updated_by"] == "admin"
    audit = [a for a in store.tables.audit if a["action"] == "notification_preferences"]
    assert [a["detail"]["of_cadre"] for a in audit] == ["v1-dir", "v1-m1"]
    assert "dir@example.org" not in repr(audit)


async def test_nobody_else_reads_or_sets_a_cadres_preferences(app: Minqing) -> None:
    for command in (ReadPreferences(V1M1, "v1-dir"), SetPreferences(V1M1, "v1-dir", ("sms",))):
        with pytest.raises(Forbidden) as refused:
            await app.handle(command)
        assert refused.value.code == "notification.not_yours"
    with pytest.raises(NotFound) as unknown:
        await app.handle(ReadPreferences(ADMIN, "ghost"))
    assert unknown.value.code == "roster.unknown_cadre"
    with pytest.raises(NotFound) as nobody:
        await app.handle(ReadPreferences(ADMIN))
    assert nobody.value.code == "notification.no_cadre"


@pytest.mark.parametrize(("channels", "email", "field", "code"), [
    (("pager",), None, "channels", "notification.unknown_channel"),
    (("email",), None, "email", "notification.email_required"),
    (("sms",), "not an address", "email", "notification.not_an_email"),
])
async def test_refused_preferences_name_the_field_and_the_reason(app: Minqing, store: MemoryStore,
                                                                 channels: tuple[str, ...], email: str | None,
                                                                 field: str, code: str) -> None:
    with pytest.raises(Invalid) as refused:
        await app.handle(SetPreferences(V1DIR, None, channels, True, email))
    assert (refused.value.field, refused.value.code) == (field, code)
    assert "v1-dir" not in store.tables.notification_preferences


async def test_the_delivery_log_shows_every_attempt_masked_to_admins_only(
        app: Minqing, seed: MemorySeeder, clock: MovableClock) -> None:
    now = clock()
    n = note("v1-dir", now)
    await seed.notes(n)
    sms = await seed.delivery(delivery(n["notification_id"], "sms", "sent", now, address="13912345678", attempts=2),
                              [Attempt("failed", "HTTP 503"), Attempt("sent")])
    mail = await seed.delivery(delivery(n["notification_id"], "email", "pending", now, address="dir@example.org"))
    log = await app.handle(ListDeliveries(ADMIN, notification_id=n["notification_id"]))
    assert [d["id"] for d in log] == [mail, sms]
    sent = log[1]
    assert [(a["attempt"], a["outcome"], a["error"]) for a in sent["attempt_log"]] == [
        (1, "failed", "HTTP 503"), (2, "sent", None)]
    assert (sent["address"], log[0]["address"]) == ("139****5678", "d***@example.org")
    assert (sent["kind"], sent["recipient_cadre_id"], sent["tracking_code"]) == ("case_assigned", "v1-dir", "MQ-TEST")
    assert [d["id"] for d in await app.handle(ListDeliveries(ADMIN, channel="email"))] == [mail]
    assert [d["id"] for d in await app.handle(ListDeliveries(ADMIN, status="sent"))] == [sms]
    with pytest.raises(Forbidden):
        await app.handle(ListDeliveries(V1DIR))


async def test_a_dead_delivery_is_resent_from_zero_and_its_dead_letter_marked(
        app: Minqing, seed: MemorySeeder, store: MemoryStore, clock: MovableClock) -> None:
    now = clock()
    n = note("v1-dir", now)
    await seed.notes(n)
    dead = await seed.delivery(delivery(n["notification_id"], "wecom", "dead", now, attempts=3, last_error="503"),
                               [Attempt("failed", "503")] * 2 + [Attempt("gave_up", "503")], dead_at=now)
    busy = await seed.delivery(delivery(n["notification_id"], "dingtalk", "sending", now, attempts=1))
    assert [x["delivery_id"] for x in await app.handle(ListNotificationDeadLetters(ADMIN))] == [dead]
    clock.advance(minutes=1)
    again = await app.handle(ResendDelivery(ADMIN, dead))
    assert (again["status"], again["attempts"], again["next_attempt_at"]) == ("pending", 0, clock())
    assert len(again["attempt_log"]) == 3, "the earlier attempts stay in the log"
    assert await app.handle(ListNotificationDeadLetters(ADMIN)) == []
    assert [x["resent_at"] for x in await app.handle(ListNotificationDeadLetters(ADMIN, include_resent=True))] == [clock()]
    with pytest.raises(Conflict) as still:
        await app.handle(ResendDelivery(ADMIN, busy))
    assert (still.value.code, still.value.state) == ("notification.still_trying", "sending")
    with pytest.raises(NotFound):
        await app.handle(ResendDelivery(ADMIN, 10_000))
    with pytest.raises(Forbidden):
        await app.handle(ResendDelivery(Actor(Role.LEADER, "t-sec"), dead))
    assert any(a["action"] == "notification_resend" and a["detail"]["delivery_ids"] == [dead]
               for a in store.tables.audit)


async def test_every_dead_letter_of_a_channel_goes_out_again(app: Minqing, seed: MemorySeeder,
                                                             clock: MovableClock) -> None:
    now = clock()
    notes = [note("v1-dir", now) for _ in range(3)]
    await seed.notes(*notes)
    wecom = [await seed.delivery(delivery(n["notification_id"], "wecom", "dead", now, attempts=3), dead_at=now)
             for n in notes[:2]]
    sms = await seed.delivery(delivery(notes[2]["notification_id"], "sms", "dead", now, attempts=3), dead_at=now)
    assert await app.handle(ResendDeadLetters(ADMIN, "wecom")) == 2
    statuses = {d["id"]: d["status"] for d in await app.handle(ListDeliveries(ADMIN))}
    assert [statuses[i] for i in wecom] == ["pending", "pending"] and statuses[sms] == "dead"
    assert await app.handle(ResendDeadLetters(ADMIN)) == 1
