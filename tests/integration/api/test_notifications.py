"""Notifications over HTTP on the real PostgreSQL: the caller's own, unread first, with the
unread count; marking read (someone else's is a 404 and stays unread); preferences of one's
own and, for an admin, anyone's, with coded refusals; the delivery log with every attempt and
re-send, for admins only."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.conftest import SHANGHAI
from tests.notification_rows import Attempt, SqlSeeder, delivery, note

pytestmark = pytest.mark.integration
Headers = Callable[[str], dict[str, str]]


@pytest.fixture(scope="module")
def seed(engine: Any) -> SqlSeeder:
    return SqlSeeder(engine)


def _ids(answer: httpx.Response) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [n["notification_id"] for n in answer.json()["items"]]


async def test_my_notifications_unread_first_with_the_unread_count(client: httpx.AsyncClient, as_: Headers,
                                                                   seed: SqlSeeder) -> None:
    now = datetime.now(SHANGHAI)
    older, newer = note("v1-dir", now - timedelta(minutes=2)), note("v1-dir", now - timedelta(minutes=1))
    read, theirs = note("v1-dir", now, read_at=now), note("v1-m1", now)
    before = (await client.get("/api/v1/notifications/unread", headers=as_("v1dir"))).json()["unread"]
    await seed.notes(older, newer, read, theirs)
    answer = await client.get("/api/v1/notifications", params={"limit": 200}, headers=as_("v1dir"))
    listed = _ids(answer)
    ours = [n["notification_id"] for n in (newer, older, read)]
    assert [i for i in listed if i in ours] == ours and theirs["notification_id"] not in listed
    assert answer.json()["unread"] == before + 2
    item = next(n for n in answer.json()["items"] if n["notification_id"] == newer["notification_id"])
    assert set(item) == {"notification_id", "kind", "case_id", "tracking_code", "village_code", "category", "due_at",
                         "text", "urgent", "created_at", "read_at"}
    unread_only = await client.get("/api/v1/notifications", params={"unread_only": "true", "limit": 200},
                                   headers=as_("v1dir"))
    assert read["notification_id"] not in _ids(unread_only)


async def test_someone_elses_notification_is_a_404_and_stays_unread(client: httpx.AsyncClient, as_: Headers,
                                                                    seed: SqlSeeder) -> None:
    theirs = note("v1-dir", datetime.now(SHANGHAI))
    await seed.notes(theirs)
    for intruder in ("v1m1", "lead1", "admin", "operator"):
        refused = await client.post(f"/api/v1/notifications/{theirs['notification_id']}/read", headers=as_(intruder))
        assert refused.status_code == 404, (intruder, refused.text)
        assert refused.json()["code"] == "notification.not_found"
    unknown = await client.post("/api/v1/notifications/no-such-notification/read", headers=as_("v1dir"))
    assert unknown.status_code == 404
    still = await client.get("/api/v1/notifications", params={"unread_only": "true", "limit": 200},
                             headers=as_("v1dir"))
    assert theirs["notification_id"] in _ids(still)
    read = await client.post(f"/api/v1/notifications/{theirs['notification_id']}/read", headers=as_("v1dir"))
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert read.json()["unread"] == (await client.get("/api/v1/notifications/unread",
                                                      headers=as_("v1dir"))).json()["unread"]
    assert (await client.post("/api/v1/notifications/read", headers=as_("v1dir"))).json()["marked"] >= 0
    assert (await client.get("/api/v1/notifications/unread", headers=as_("v1dir"))).json() == {"unread": 0}


async def test_a_cadre_sets_their_preferences_and_an_admin_anyones(client: httpx.AsyncClient, as_: Headers) -> None:
    mine = await client.put("/api/v1/notifications/preferences", headers=as_("v2dsec"),
                            json={"channels": ["sms", "email"], "quiet_hours": False, "email": "v2@example.org"})
    assert mine.status_code == 200, mine.text
    assert (mine.json()["cadre_id"], mine.json()["channels"]) == ("v2-dsec", ["email", "sms"])
    seen = await client.get("/api/v1/cadres/v2-dsec/notification-preferences", headers=as_("admin"))
    assert seen.status_code == 200 and seen.json()["email"] == "v2@example.org"
    changed = await client.put("/api/v1/cadres/v2-dsec/notification-preferences", headers=as_("admin"),
                               json={"channels": ["dingtalk"], "quiet_hours": True})
    assert changed.status_code == 200 and changed.json()["channels"] == ["dingtalk"]
    own = await client.get("/api/v1/notifications/preferences", headers=as_("v2dsec"))
    assert (own.json()["channels"], own.json()["quiet_hours"], own.json()["email"]) == (["dingtalk"], True, None)
    assert (own.json()["quiet_from"], own.json()["quiet_until"]) == ("22:00", "07:00")


async def test_nobody_else_touches_a_cadres_preferences(client: httpx.AsyncClient, as_: Headers) -> None:
    for method in ("GET", "PUT"):
        answer = await client.request(method, "/api/v1/cadres/v1-dir/notification-preferences", headers=as_("v1m1"),
                                      json={"channels": []} if method == "PUT" else None)
        assert answer.status_code == 403 and answer.json()["code"] == "notification.not_yours", answer.text
    unknown = await client.get("/api/v1/cadres/nobody-here/notification-preferences", headers=as_("admin"))
    assert unknown.status_code == 404


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"channels": ["pager"]}, "channels", "notification.unknown_channel"),
    ({"channels": ["email"]}, "email", "notification.email_required"),
    ({"channels": ["sms"], "email": "not-an-address"}, "email", "notification.not_an_email"),
])
async def test_refused_preferences_answer_422_with_their_code(client: httpx.AsyncClient, as_: Headers,
                                                              body: dict[str, Any], field: str, code: str) -> None:
    answer = await client.put("/api/v1/notifications/preferences", headers=as_("v1m1"), json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == code and answer.json()["params"]["field"] == field


async def test_the_delivery_log_and_resend_are_for_admins(client: httpx.AsyncClient, as_: Headers,
                                                          seed: SqlSeeder) -> None:
    now = datetime.now(SHANGHAI)
    n = note("v1-dir", now)
    await seed.notes(n)
    dead = await seed.delivery(delivery(n["notification_id"], "webhook", "dead", now, attempts=2, last_error="HTTP 503"),
                               [Attempt("failed", "HTTP 503"), Attempt("gave_up", "HTTP 503")], dead_at=now)
    sending = await seed.delivery(delivery(n["notification_id"], "sms", "sending", now, address="13912345678",
                                           attempts=1), [Attempt(None)])
    for who in ("v1dir", "lead1", "operator"):
        assert (await client.get("/api/v1/admin/deliveries", headers=as_(who))).status_code == 403
        assert (await client.post(f"/api/v1/admin/deliveries/{dead}/resend", headers=as_(who))).status_code == 403
    log = await client.get("/api/v1/admin/deliveries", params={"notification_id": n["notification_id"]},
                           headers=as_("admin"))
    assert log.status_code == 200
    items = {d["id"]: d for d in log.json()["items"]}
    assert [a["outcome"] for a in items[dead]["attempt_log"]] == ["failed", "gave_up"]
    assert items[sending]["address"] == "139****5678" and items[sending]["attempt_log"][0]["outcome"] is None
    letters = await client.get("/api/v1/admin/notification-dead-letters", params={"limit": 200}, headers=as_("admin"))
    assert dead in [x["delivery_id"] for x in letters.json()["items"]]
    busy = await client.post(f"/api/v1/admin/deliveries/{sending}/resend", headers=as_("admin"))
    assert busy.status_code == 409 and busy.json()["code"] == "notification.still_trying"
    again = await client.post(f"/api/v1/admin/deliveries/{dead}/resend", headers=as_("admin"))
    assert again.status_code == 200, again.text
    assert (again.json()["status"], again.json()["attempts"], len(again.json()["attempt_log"])) == ("pending", 0, 2)
    assert (await client.post("/api/v1/admin/deliveries/999999999/resend", headers=as_("admin"))).status_code == 404
    bad = await client.get("/api/v1/admin/deliveries", params={"status": "lost"}, headers=as_("admin"))
    assert bad.status_code == 422
