"""Channel adapters behind one interface (`base.Channel`), built from the settings: a channel
is on when its settings are set. In-app needs no adapter: the stored notification is it."""
from __future__ import annotations

import httpx

from infra.notify.channels.base import Channel
from infra.notify.channels.dingtalk import DingTalkChannel
from infra.notify.channels.email import EmailChannel, SmtpServer
from infra.notify.channels.sms import LogSms, SmsChannel, SmsProvider
from infra.notify.channels.tencent_sms import TencentAccount, TencentSms
from infra.notify.channels.webhook import WebhookChannel
from infra.notify.channels.wecom import WeComChannel
from infra.settings import Settings


def _secret(value: object) -> str | None:
    return value.get_secret_value() if value is not None else None  # type: ignore[attr-defined]


def sms_provider(settings: Settings, client: httpx.AsyncClient) -> SmsProvider:
    if settings.sms_provider == "log":
        return LogSms()
    missing = [name for name in ("sms_secret_id", "sms_secret_key", "sms_sdk_app_id", "sms_sign_name")
               if not getattr(settings, name)]
    if missing:
        raise ValueError("MINQING_SMS_PROVIDER=tencent needs " + ", ".join(f"MINQING_{m.upper()}" for m in missing))
    return TencentSms(client, TencentAccount(settings.sms_secret_id or "", _secret(settings.sms_secret_key) or "",
                                             settings.sms_sdk_app_id or "", settings.sms_sign_name or "",
                                             settings.sms_region, settings.sms_endpoint))


def build_channels(settings: Settings, client: httpx.AsyncClient) -> dict[str, Channel]:
    channels: dict[str, Channel] = {}
    if settings.notify_webhook_url:
        channels["webhook"] = WebhookChannel(client, settings.notify_webhook_url, _secret(settings.notify_webhook_secret))
    if settings.dingtalk_webhook:
        channels["dingtalk"] = DingTalkChannel(client, settings.dingtalk_webhook, _secret(settings.dingtalk_secret))
    if settings.wecom_webhook:
        channels["wecom"] = WeComChannel(client, settings.wecom_webhook)
    if settings.smtp_url:
        channels["email"] = EmailChannel(SmtpServer.from_url(settings.smtp_url), settings.notify_timeout_seconds)
    if settings.sms_provider:
        channels["sms"] = SmsChannel(sms_provider(settings, client), settings.sms_templates)
    return channels
