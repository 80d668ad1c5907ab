"""Which channels carry a notification, and when: per-cadre preferences, quiet hours
(22:00–07:00 Asia/Shanghai, except urgent cases), group chats never for a case that accuses
someone, and the retry schedule of a failing channel. Pure."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from models import workcalendar as wc
from models.errors import DomainError
from models.notifications import Notification, PetitionerMessage

IN_APP, WEBHOOK, DINGTALK, WECOM, EMAIL, SMS = "in_app", "webhook", "dingtalk", "wecom", "email", "sms"
CHANNELS = (IN_APP, WEBHOOK, DINGTALK, WECOM, EMAIL, SMS)
# A cadre chooses among these; in-app is always on and the webhook is the township's own
# integration, which receives every cadre notification when configured.
PERSONAL = (DINGTALK, WECOM, EMAIL, SMS)
GROUP_CHATS = frozenset({DINGTALK, WECOM})   # everyone in the group reads it
INTRUSIVE = frozenset({DINGTALK, WECOM, SMS})  # rings a phone: waits for the end of quiet hours
QUIET_START, QUIET_END = time(22, 0), time(7, 0)
# An event this old when the notifier first sees it (a new notifier reading a week of history,
# or one back from a long outage) is recorded in-app and in the digest, but pushed to nobody.
STALE_AFTER = timedelta(hours=24)


def is_stale(event_at: datetime | None, now: datetime) -> bool:
    return event_at is not None and now - event_at > STALE_AFTER


@dataclass(frozen=True)
class Preferences:
    channels: frozenset[str] = frozenset({DINGTALK, WECOM})
    quiet_hours: bool = True
    email: str | None = None

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "Preferences":
        """From what a cadre or an admin submits; refuses unknown channels and an e-mail
        channel without an address."""
        channels = frozenset(data.get("channels", cls.channels))
        unknown = sorted(channels - set(PERSONAL))
        if unknown:
            raise DomainError.of("notification.unknown_channel", channels=", ".join(unknown),
                                 choices=", ".join(PERSONAL))
        email = (data.get("email") or "").strip() or None
        if email is not None and ("@" not in email or len(email) > 254 or any(c.isspace() for c in email)):
            raise DomainError.of("notification.not_an_email", email=email)
        if EMAIL in channels and email is None:
            raise DomainError.of("notification.email_required")
        return cls(channels, bool(data.get("quiet_hours", True)), email)

    def to_dict(self) -> dict[str, Any]:
        return {"channels": sorted(self.channels), "quiet_hours": self.quiet_hours, "email": self.email}


def in_quiet_hours(at: datetime) -> bool:
    local = wc.to_local(at).time()
    return local >= QUIET_START or local < QUIET_END


def quiet_hours_end(at: datetime) -> datetime:
    """07:00 local after `at` (the same morning, or the next one when `at` is in the evening)."""
    local = wc.to_local(at)
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tzinfo=wc.SHANGHAI).astimezone(at.tzinfo)


@dataclass(frozen=True)
class Delivery:
    channel: str
    address: str | None  # phone (SMS, the @ in a group chat) or e-mail; None for the webhook
    not_before: datetime


def plan(note: Notification, prefs: Preferences, configured: Iterable[str], phone: str | None,
         now: datetime) -> tuple[Delivery, ...]:
    """The push deliveries of a cadre notification (in-app is the stored notification itself)."""
    if is_stale(note.event_at, now):
        return ()
    available = set(configured)
    wanted = [WEBHOOK] + [c for c in PERSONAL if c in prefs.channels]
    out = []
    for channel in wanted:
        if channel not in available or (note.confidential and channel in GROUP_CHATS):
            continue
        address = prefs.email if channel == EMAIL else phone
        if channel in (EMAIL, SMS) and not address:
            continue
        wait = channel in INTRUSIVE and prefs.quiet_hours and not note.urgent and in_quiet_hours(now)
        out.append(Delivery(channel, None if channel == WEBHOOK else address, quiet_hours_end(now) if wait else now))
    return tuple(out)


def plan_petitioner(message: PetitionerMessage, configured: Iterable[str], now: datetime) -> tuple[Delivery, ...]:
    """SMS only. The tracking code goes at once (the petitioner has just called); later
    notices wait for the morning rather than wake anyone."""
    if SMS not in set(configured) or is_stale(message.event_at, now):
        return ()
    wait = message.kind != "petitioner_registered" and in_quiet_hours(now)
    return (Delivery(SMS, message.phone, quiet_hours_end(now) if wait else now),)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    first_delay: timedelta = timedelta(seconds=2)
    max_delay: timedelta = timedelta(minutes=10)

    def next_try(self, attempts: int, now: datetime) -> datetime | None:
        """After `attempts` failed tries: when to try again, or None to give up (dead letter)."""
        if attempts >= self.max_attempts:
            return None
        return now + min(self.first_delay * (1 << max(attempts - 1, 0)), self.max_delay)
