"""WeCom (企业微信) group robot: a text message mentioning the cadre by phone."""
from __future__ import annotations

import httpx

from infra.notify.channels.base import Outgoing, check_errcode


def message_body(message: Outgoing) -> dict[str, object]:
    return {"msgtype": "text", "text": {"content": message.text,
                                        "mentioned_mobile_list": [message.address] if message.address else []}}


class WeComChannel:
    name = "wecom"

    def __init__(self, client: httpx.AsyncClient, url: str) -> None:
        self._client, self._url = client, url

    async def send(self, message: Outgoing) -> None:
        check_errcode(await self._client.post(self._url, json=message_body(message)), "the WeCom robot")
