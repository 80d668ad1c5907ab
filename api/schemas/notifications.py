"""Notifications (CONTRACT "Notifications"): the caller's own notification centre, the
preferences of a cadre, and the admin's delivery log. A notification never carries a
petitioner's phone or ID number; addresses in the delivery log are masked."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Channel = Literal["dingtalk", "wecom", "email", "sms"]
PushChannel = Literal["webhook", "dingtalk", "wecom", "email", "sms"]
DeliveryStatus = Literal["pending", "sending", "sent", "dead"]


class NotificationPublic(BaseModel):
    notification_id: str
    kind: str
    case_id: str | None
    tracking_code: str | None
    village_code: str | None
    category: str | None
    due_at: datetime | None
    text: str = Field(description="zh-CN, as pushed on every channel")
    urgent: bool
    created_at: datetime
    read_at: datetime | None


class NotificationsPublic(BaseModel):
    items: list[NotificationPublic]
    total: int
    unread: int = Field(description="the caller's unread notifications, whatever the page")
    limit: int
    offset: int


class NotificationRead(NotificationPublic):
    unread: int = Field(description="the caller's notifications still unread")


class UnreadPublic(BaseModel):
    unread: int


class MarkedRead(BaseModel):
    marked: int
    unread: int


class PreferencesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    channels: list[str] = Field(max_length=8, description="any of dingtalk, wecom, email, sms; in-app is always on")
    quiet_hours: bool = Field(True, description="hold DingTalk, WeCom and SMS 22:00–07:00 (Asia/Shanghai) "
                                                "except for urgent cases")
    email: str | None = Field(None, max_length=254)


class PreferencesPublic(BaseModel):
    cadre_id: str
    channels: list[str]
    quiet_hours: bool
    email: str | None
    choices: list[Channel]
    quiet_from: str
    quiet_until: str


class AttemptPublic(BaseModel):
    attempt: int
    started_at: datetime
    finished_at: datetime | None
    outcome: str | None = Field(description="sent, failed, gave_up; none: cut short (the sender stopped)")
    error: str | None


class DeliveryPublic(BaseModel):
    id: int
    notification_id: str
    channel: str
    address: str | None = Field(description="masked")
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    kind: str | None
    audience: str | None
    recipient_cadre_id: str | None
    case_id: str | None
    tracking_code: str | None
    attempt_log: list[AttemptPublic]


class DeliveriesPublic(BaseModel):
    items: list[DeliveryPublic]
    limit: int
    offset: int


class ResentPublic(BaseModel):
    resent: int


class NotificationDeadLetterPublic(BaseModel):
    id: int
    delivery_id: int
    notification_id: str
    channel: str
    attempts: int
    error: str
    dead_at: datetime
    resent_at: datetime | None


class NotificationDeadLettersPublic(BaseModel):
    items: list[NotificationDeadLetterPublic]
