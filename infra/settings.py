"""Settings read from the environment (CONTRACT "Settings"), validated at start.

Nothing here connects anywhere: a `Settings` is plain data, built by the composition
root (`infra.bootstrap`) and handed to whatever needs it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MINQING_", extra="ignore")

    kafka_url: str | None = Field(default=None, description="kafka://host:port[,host:port]; unset = embedded broker")
    database_url: str | None = Field(default=None, description="postgresql+asyncpg://…; unset = embedded PostgreSQL")
    data_dir: Path = Path("./.minqing")
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    topic_prefix: str = Field(default="", pattern=r"^[A-Za-z0-9._-]*$")
    partitions: int = Field(default=4, ge=1, le=256, description="partitions of each topic Minqing creates")
    # faust/aiokafka group timeouts, seconds: quick rebalances on Tansu, safe on Kafka.
    session_timeout: float = Field(default=10.0, gt=0)
    rebalance_timeout: float = Field(default=10.0, gt=0)
    heartbeat_interval: float = Field(default=1.0, gt=0)
    # aiokafka's fetch wait; Tansu answers a fetch only when it runs out, so it bounds latency.
    fetch_max_wait_ms: int = Field(default=10, ge=0, le=5000)
    # Intake batches: up to this many events, or whatever arrived within the window.
    batch_size: int = Field(default=500, ge=1, le=5000)
    batch_window_ms: int = Field(default=20, ge=1, le=5000)
    # Notifications (CONTRACT "Notifications"): a channel is on when its settings are set.
    notify_webhook_url: str | None = Field(default=None, description="generic JSON webhook")
    notify_webhook_secret: SecretStr | None = Field(default=None, description="HMAC-SHA256 key of the webhook")
    dingtalk_webhook: str | None = Field(default=None, description="DingTalk custom robot URL (with access_token)")
    dingtalk_secret: SecretStr | None = Field(default=None, description="the robot's signing secret (SEC…)")
    wecom_webhook: str | None = Field(default=None, description="WeCom group robot URL (with key)")
    smtp_url: str | None = Field(default=None, description="smtp[s]://user:pass@host:port?from=addr[&starttls=1]")
    sms_provider: Literal["log", "tencent"] | None = Field(default=None, description="unset: no SMS")
    sms_secret_id: str | None = None
    sms_secret_key: SecretStr | None = None
    sms_sdk_app_id: str | None = None
    sms_sign_name: str | None = None
    sms_region: str = "ap-guangzhou"
    sms_endpoint: str = "https://sms.tencentcloudapi.com"
    # notification kind → the provider's approved template id (Chinese SMS must use templates)
    sms_templates: dict[str, str] = Field(default_factory=dict)
    public_url: str = Field(default="http://127.0.0.1:8000", description="base of the tracking link sent to petitioners")
    notify_group: str = Field(default="minqing-notify", min_length=1, description="the notifiers' consumer group")
    notify_max_attempts: int = Field(default=6, ge=1, le=50)
    notify_retry_seconds: float = Field(default=2.0, gt=0, description="first retry delay; doubles per attempt")
    notify_timeout_seconds: float = Field(default=10.0, gt=0, description="one delivery attempt at most")

    @field_validator("kafka_url")
    @classmethod
    def _kafka_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("kafka://"):
            raise ValueError("MINQING_KAFKA_URL must look like kafka://host:port[,host:port]")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("postgresql+asyncpg://"):
            raise ValueError("MINQING_DATABASE_URL must look like postgresql+asyncpg://user:pass@host:port/db")
        return value

    @field_validator("notify_webhook_url", "dingtalk_webhook", "wecom_webhook", "sms_endpoint", "public_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("a webhook, endpoint or public URL must start with http:// or https://")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("smtp://", "smtps://")):
            raise ValueError("MINQING_SMTP_URL must look like smtp[s]://user:pass@host:port?from=minqing@example.org")
        return value

    @property
    def is_embedded(self) -> bool:
        return self.kafka_url is None or self.database_url is None

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"


def kafka_bootstrap_servers(kafka_url: str) -> str:
    """`kafka://a:1,b:2` → `a:1,b:2`, the form aiokafka takes."""
    return kafka_url.removeprefix("kafka://").rstrip("/")
