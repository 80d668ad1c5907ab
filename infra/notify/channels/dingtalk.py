"""DingTalk (钉钉 / 浙政钉) custom robot: a text message that @-mentions the cadre by phone,
on a URL signed with the robot's secret (timestamp in ms + HMAC-SHA256, base64, URL-quoted)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable
from urllib.parse import quote_plus

import httpx

from infra.notify.channels.base import Outgoing, check_errcode


def sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def message_body(message: Outgoing) -> dict[str, object]:
    mention = f" @{message.address}" if message.address else ""
    return {"msgtype": "text", "text": {"content": message.text + mention},
            "at": {"atMobiles": [message.address] if message.address else [], "isAtAll": False}}


class DingTalkChannel:
    name = "dingtalk"

    def __init__(self, client: httpx.AsyncClient, url: str, secret: str | None,
                 now_ms: Callable[[], int] = lambda: int(time.time() * 1000)) -> None:
        self._client, self._url, self._secret, self._now_ms = client, url, secret, now_ms

    def signed_url(self) -> str:
        if not self._secret:
            return self._url
        timestamp = self._now_ms()  # DingTalk refuses a timestamp an hour away from its clock
        joiner = "&" if "?" in self._url else "?"
        return f"{self._url}{joiner}timestamp={timestamp}&sign={sign(self._secret, timestamp)}"

    async def send(self, message: Outgoing) -> None:
        check_errcode(await self._client.post(self.signed_url(), json=message_body(message)), "the DingTalk robot")
