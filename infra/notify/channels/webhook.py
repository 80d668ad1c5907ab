"""The generic JSON webhook: the contract's body, signed with HMAC-SHA256 over the raw bytes."""
from __future__ import annotations

import hashlib
import hmac

import httpx
import orjson

from infra.notify.channels.base import Outgoing, check_http

SIGNATURE_HEADER = "X-Minqing-Signature"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookChannel:
    name = "webhook"

    def __init__(self, client: httpx.AsyncClient, url: str, secret: str | None) -> None:
        self._client, self._url, self._secret = client, url, secret

    async def send(self, message: Outgoing) -> None:
        body = orjson.dumps(message.contract_body())
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "X-Minqing-Notification-Id": message.notification_id}
        if self._secret:
            headers[SIGNATURE_HEADER] = signature(self._secret, body)
        check_http(await self._client.post(self._url, content=body, headers=headers), "the webhook")
