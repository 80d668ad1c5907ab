"""The one interface every channel adapter implements, and what it is handed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import httpx


@dataclass(frozen=True)
class Outgoing:
    """One delivery: a stored notification on one channel, to one address."""
    delivery_id: int
    channel: str
    address: str | None
    notification_id: str
    audience: str
    kind: str
    recipient_cadre_id: str | None
    case_id: str | None
    tracking_code: str | None
    village_code: str | None
    category: str | None
    due_at: datetime | None
    text: str
    created_at: datetime

    def contract_body(self) -> dict[str, Any]:
        """The generic webhook body (CONTRACT "Notifications"): never a petitioner's phone or ID."""
        return {"notification_id": self.notification_id, "kind": self.kind,
                "recipient_cadre_id": self.recipient_cadre_id, "case_id": self.case_id,
                "tracking_code": self.tracking_code, "village_code": self.village_code,
                "category": self.category, "due_at": self.due_at.isoformat() if self.due_at else None,
                "text": self.text, "created_at": self.created_at.isoformat()}


class DeliveryFailed(Exception):
    """The channel did not take the message. `permanent`: retrying cannot help (a refused
    request, a missing template); the delivery is dead-lettered at once."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Channel(Protocol):
    name: str

    async def send(self, message: Outgoing) -> None:
        """Deliver or raise DeliveryFailed (any other exception counts as a retryable failure)."""
        ...


def check_http(response: httpx.Response, what: str) -> None:
    """2xx passes; 408, 429 and 5xx are worth retrying; any other answer is a refusal."""
    if response.is_success:
        return
    retryable = response.status_code in (408, 429) or response.status_code >= 500
    raise DeliveryFailed(f"{what} answered HTTP {response.status_code}: {response.text[:200]}",
                         permanent=not retryable)


def check_errcode(response: httpx.Response, what: str) -> None:
    """DingTalk and WeCom robots answer HTTP 200 with {"errcode": 0} on success."""
    check_http(response, what)
    try:
        answer = response.json()
    except ValueError:
        raise DeliveryFailed(f"{what} answered something that is not JSON: {response.text[:200]}") from None
    if answer.get("errcode") != 0:
        raise DeliveryFailed(f"{what} refused the message: errcode {answer.get('errcode')} {answer.get('errmsg')}")
