"""Issue 13's "done when": with `minqing up --demo` and a webhook URL set, logging a call
notifies its owner within a second on the webhook and in the UI; an overdue case notifies the
next level; the delivery log shows every attempt. A local HTTP receiver stands in for the
webhook, and for a DingTalk robot that is down (so the log has retries and a dead letter)."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import signal
import statistics
import subprocess
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from infra.demo.logins import DEMO_PASSWORD
from infra.runtime.processes import free_loopback_port
from tests.conftest import SHANGHAI
from tests.e2e.test_up_and_simulate import _minqing, _wait_for_line
from tests.integration.notify.receivers import HttpReceiver, Request

pytestmark = pytest.mark.integration
SECRET = "e2e-webhook-secret"
VILLAGE = "330782101201"


async def until(check: Callable[[], Awaitable[Any]], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = await check()
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"{what}: not within {timeout:g} s")


class UnreadStream:
    """The UI's live badge, read as the browser reads it: `/ui/api/notifications/live`."""

    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self.seen: list[tuple[float, int]] = []
        self._task = asyncio.create_task(self._read(http, token))

    async def _read(self, http: httpx.AsyncClient, token: str) -> None:
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        async with http.stream("GET", "/ui/api/notifications/live", headers=headers, timeout=None) as answer:
            async for line in answer.aiter_lines():
                if line.startswith("data:"):
                    self.seen.append((time.monotonic(), int(orjson.loads(line[5:])["unread"])))

    async def rises_above(self, count: int, timeout: float) -> float:
        """When the badge first showed more than `count`."""
        async def risen() -> float | None:
            return next((at for at, n in self.seen if n > count), None)
        return await until(risen, timeout, f"the unread badge above {count}")  # type: ignore[no-any-return]

    async def close(self) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


async def _log_call(http: httpx.AsyncClient, operator: str, summary: str, days_ago: float = 0) -> dict[str, Any]:
    body = {"occurred_at": (datetime.now(SHANGHAI) - timedelta(days=days_ago)).isoformat(), "village_code": VILLAGE,
            "category": "roads", "kind": "help", "urgency": "normal", "summary": summary, "dialed_cadre_id": "v1-dir",
            "caller": {"name": "周建华", "phone": f"137{uuid.uuid4().int % 10**8:08d}", "anonymous": False}}
    answer = await http.post("/api/v1/calls", json=body, headers={"Authorization": f"Bearer {operator}"})
    assert answer.status_code == 202, answer.text
    if answer.json()["case"] is not None:
        return answer.json()["case"]  # type: ignore[no-any-return]

    async def routed() -> dict[str, Any] | None:
        found = await http.get("/api/v1/cases", params={"source_event_id": answer.json()["event_id"]},
                               headers={"Authorization": f"Bearer {operator}"})
        return found.json()["items"][0] if found.json()["items"] else None
    return await until(routed, 60, "the call routed")  # type: ignore[no-any-return]


def _webhook(receiver: HttpReceiver, case_id: str, **wanted: str) -> list[Request]:
    return [r for r in receiver.on("/webhook") if r.json()["case_id"] == case_id
            and all(r.json()[k] == v for k, v in wanted.items())]


async def test_up_demo_notifies_the_owner_within_a_second_escalates_and_logs_every_attempt(tmp_path: Path) -> None:
    with HttpReceiver() as receiver, open(tmp_path / "up.stderr", "w") as errors:
        port = free_loopback_port()
        env = {**os.environ, "MINQING_DATA_DIR": str(tmp_path), "MINQING_API_PORT": str(port),
               "MINQING_NOTIFY_WEBHOOK_URL": f"{receiver.url}/webhook", "MINQING_NOTIFY_WEBHOOK_SECRET": SECRET,
               "MINQING_DINGTALK_WEBHOOK": f"{receiver.url}/broken?access_token=e2e",
               "MINQING_NOTIFY_MAX_ATTEMPTS": "3", "MINQING_NOTIFY_RETRY_SECONDS": "0.2"}
        for name in ("MINQING_KAFKA_URL", "MINQING_DATABASE_URL"):
            env.pop(name, None)
        up = _minqing("up", "--demo", env=env, stdout=subprocess.PIPE, stderr=errors)
        try:
            admin = _wait_for_line(up, r"admin token: (\S+)", timeout=180).group(1)
            operator = _wait_for_line(up, r"operator \(t-op1\) token: (\S+)", timeout=10).group(1)
            _wait_for_line(up, r"Press Ctrl-C", timeout=10)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
                await _check(http, receiver, admin, operator)
        finally:
            up.send_signal(signal.SIGINT)
            up.wait(60)
    assert up.returncode == 0


async def _check(http: httpx.AsyncClient, receiver: HttpReceiver, admin: str, operator: str) -> None:
    async def api_up() -> bool:
        try:
            return (await http.get("/ui/")).status_code == 200
        except httpx.TransportError:
            return False
    await until(api_up, 60, "the API")
    login = await http.post("/api/v1/auth/login", json={"username": "v1-dir", "password": DEMO_PASSWORD})
    cadre = login.json()["access_token"]
    as_cadre, as_admin = {"Authorization": f"Bearer {cadre}"}, {"Authorization": f"Bearer {admin}"}
    # the owner also wants DingTalk, day and night (its robot is down: retries, then a dead letter)
    prefs = await http.put("/api/v1/notifications/preferences", headers=as_cadre,
                           json={"channels": ["dingtalk"], "quiet_hours": False})
    assert prefs.status_code == 200, prefs.text

    # a first call proves the notifier has joined its consumer group
    warm = await _log_call(http, operator, "路灯不亮，晚上出行不便")
    await until(lambda: _ready(_webhook(receiver, warm["case_id"], recipient_cadre_id="v1-dir")), 120,
                "the first notification on the webhook")

    stream = UnreadStream(http, cadre)
    try:
        await until(lambda: _ready(stream.seen), 10, "the unread stream")
        on_webhook, in_ui = [], []
        measured: list[dict[str, Any]] = []
        for n in range(3):
            unread = stream.seen[-1][1]
            started = time.monotonic()
            case = await _log_call(http, operator, f"村道第{n + 1}段路面破损")
            (sent,) = await until(lambda c=case: _ready(_webhook(receiver, c["case_id"], recipient_cadre_id="v1-dir")),
                                  10, "the owner's notification on the webhook")
            on_webhook.append(sent.at - started)
            in_ui.append(await stream.rises_above(unread, 10) - started)
            measured.append(sent.json())
            assert sent.headers["x-minqing-signature"] == "sha256=" + hmac.new(SECRET.encode(), sent.body,
                                                                               hashlib.sha256).hexdigest()
    finally:
        await stream.close()
    print(f"\nlogging a call → webhook: {', '.join(f'{s:.2f}' for s in on_webhook)} s; "
          f"→ UI badge: {', '.join(f'{s:.2f}' for s in in_ui)} s")
    assert statistics.median(on_webhook) <= 1.0, on_webhook
    assert statistics.median(in_ui) <= 1.0, in_ui
    first = measured[0]
    assert (first["kind"], first["recipient_cadre_id"]) == ("case_assigned", "v1-dir")
    mine = await http.get("/api/v1/notifications", params={"unread_only": "true", "limit": 200}, headers=as_cadre)
    assert {b["notification_id"] for b in measured} <= {n["notification_id"] for n in mine.json()["items"]}

    # an overdue case: the scheduler escalates it and the next level hears of it
    late = await _log_call(http, operator, "桥栏杆松动，存在安全隐患", days_ago=10)

    async def escalated() -> dict[str, Any] | None:
        case = (await http.get(f"/api/v1/cases/{late['case_id']}", headers=as_admin)).json()
        return case if case["escalation_level"] >= 1 else None
    case = await until(escalated, 60, "the overdue case escalated")
    told = await until(lambda: _ready([r.json()["recipient_cadre_id"] for r in receiver.on("/webhook")
                                       if r.json()["case_id"] == late["case_id"]
                                       and r.json()["kind"] in ("case_overdue", "case_escalated")
                                       and r.json()["recipient_cadre_id"] == case["escalated_to_cadre_id"]]),
                       30, "the next level's notification")
    assert told == [case["escalated_to_cadre_id"]] and told[0] != "v1-dir"

    # the delivery log: every attempt, the dead letter, and a re-send that tries again
    async def settled() -> dict[str, Any] | None:
        log = (await http.get("/api/v1/admin/deliveries", params={"notification_id": first["notification_id"]},
                              headers=as_admin)).json()["items"]
        by_channel = {d["channel"]: d for d in log}
        return by_channel if by_channel.get("dingtalk", {}).get("status") == "dead" else None
    log = await until(settled, 60, "the DingTalk delivery dead-lettered")
    assert [a["outcome"] for a in log["webhook"]["attempt_log"]] == ["sent"]
    assert [a["outcome"] for a in log["dingtalk"]["attempt_log"]] == ["failed", "failed", "gave_up"]
    assert "503" in (log["dingtalk"]["last_error"] or "")
    letters = (await http.get("/api/v1/admin/notification-dead-letters", headers=as_admin)).json()["items"]
    assert log["dingtalk"]["id"] in [x["delivery_id"] for x in letters]
    again = await http.post(f"/api/v1/admin/deliveries/{log['dingtalk']['id']}/resend", headers=as_admin)
    assert again.status_code == 200 and again.json()["status"] == "pending"

    async def retried() -> list[str] | None:
        log = (await http.get("/api/v1/admin/deliveries", params={"notification_id": first["notification_id"],
                                                                  "channel": "dingtalk"}, headers=as_admin)).json()
        outcomes = [a["outcome"] for a in log["items"][0]["attempt_log"]]
        return outcomes if len(outcomes) == 6 and log["items"][0]["status"] == "dead" else None
    assert await until(retried, 60, "the re-sent delivery tried again") == ["failed", "failed", "gave_up"] * 2


async def _ready(value: Any) -> Any:
    return value
