"""SMS: a provider interface, Tencent Cloud SMS as the real provider, and a log-only one for
development. Chinese SMS must use approved templates: `MINQING_SMS_TEMPLATES` maps a
notification kind to the provider's template id; the tracking code is its one parameter."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from infra.notify.channels.base import DeliveryFailed, Outgoing
from models.notification_text import masked_phone
from models.petitioners import normalise_phone

log = logging.getLogger(__name__)


class SmsProvider(Protocol):
    async def send(self, phone: str, template_id: str, params: Sequence[str], timestamp: int) -> None: ...


class LogSms:
    """Development: writes a masked line to the log and succeeds."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, tuple[str, ...]]] = []

    async def send(self, phone: str, template_id: str, params: Sequence[str], timestamp: int) -> None:
        self.sent.append((phone, template_id, tuple(params)))
        log.info("SMS (log only) to %s: template %s %s", masked_phone(phone), template_id, list(params))


def e164(phone: str) -> str:
    digits = normalise_phone(phone)
    if len(digits) != 11 or not digits.startswith("1"):
        raise DeliveryFailed(f"{masked_phone(phone)} is not a mainland mobile number", permanent=True)
    return f"+86{digits}"


class SmsChannel:
    name = "sms"

    def __init__(self, provider: SmsProvider, templates: Mapping[str, str],
                 now_s: Callable[[], int] = lambda: int(time.time())) -> None:
        self._provider, self._templates, self._now_s = provider, dict(templates), now_s

    async def send(self, message: Outgoing) -> None:
        template = self._templates.get(message.kind) or ("log" if isinstance(self._provider, LogSms) else None)
        if template is None:
            raise DeliveryFailed(f"no SMS template configured for {message.kind} (MINQING_SMS_TEMPLATES)",
                                 permanent=True)
        await self._provider.send(e164(message.address or ""), template, [message.tracking_code or "-"],
                                  self._now_s())
