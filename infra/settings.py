"""Settings read from the environment (CONTRACT "Settings"), validated at start.

Nothing here connects anywhere: a `Settings` is plain data, built by the composition
root (`infra.bootstrap`) and handed to whatever needs it.
"""
from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MINQING_", extra="ignore")

    kafka_url: str | None = Field(default=None, description="kafka://host:port[,host:port]; unset = embedded broker")
    database_url: str | None = Field(default=None, description="postgresql+asyncpg://…; unset = embedded PostgreSQL")
    # The role that owns the schema (migrations, backup, restore); unset: MINQING_DATABASE_URL's
    # role owns it too. The embedded PostgreSQL has one of each (see infra.runtime.postgres).
    owner_database_url: str | None = Field(default=None, description="postgresql+asyncpg://… of the schema owner")
    data_dir: Path = Path("./.minqing")
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    topic_prefix: str = Field(default="", pattern=r"^[A-Za-z0-9._-]*$")
    partitions: int = Field(default=4, ge=1, le=256, description="partitions of each topic Minqing creates")
    replication_factor: int = Field(default=1, ge=1, le=7, description="copies of each topic Minqing creates "
                                    "(3 on a three-broker cluster)")
    # faust/aiokafka group timeouts, seconds: quick rebalances on Tansu, safe on Kafka.
    session_timeout: float = Field(default=10.0, gt=0)
    rebalance_timeout: float = Field(default=10.0, gt=0)
    heartbeat_interval: float = Field(default=1.0, gt=0)
    # aiokafka's fetch wait; Tansu answers a fetch only when it runs out, so it bounds latency.
    fetch_max_wait_ms: int = Field(default=10, ge=0, le=5000)
    # Intake batches: whatever has arrived when the agent is free, up to this many events; an
    # idle agent waits at most the window after an event for companions (0: takes it at once).
    batch_size: int = Field(default=500, ge=1, le=5000)
    batch_window_ms: int = Field(default=0, ge=0, le=5000)
    # After this many days raw events (dead letters, relayed outgoing events, the event copies
    # kept with cases and repeat links) lose their personal data: `minqing retention run`.
    retention_days: int = Field(default=180, ge=7, le=3650)
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

    # An external Kafka with TLS and/or SASL (docs/operations.md); the embedded broker is plaintext.
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: Path | None = Field(default=None, description="CA bundle; unset = the system's CAs")
    kafka_ssl_certfile: Path | None = Field(default=None, description="client certificate (mutual TLS)")
    kafka_ssl_keyfile: Path | None = None
    kafka_ssl_check_hostname: bool = True

    # Observability (docs/operations.md "Metrics and logs").
    log_format: Literal["auto", "json", "text"] = Field(
        default="auto", description="auto: readable text at a terminal, JSON lines otherwise")
    metrics_networks: str = Field(
        default="", description="comma-separated CIDRs whose scrapers read /metrics without a token")
    metrics_dir: Path | None = Field(
        default=None, description="a directory the Minqing processes of one machine share for their metrics")
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = Field(default=None, ge=1, le=65535,
                                     description="a worker's or notifier's own /metrics port; unset = none")
    schema_poll_seconds: float = Field(default=5.0, gt=0, description="how often a process waiting for "
                                       "`minqing migrate` looks at the schema again")

    @field_validator("kafka_url")
    @classmethod
    def _kafka_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("kafka://"):
            raise ValueError("MINQING_KAFKA_URL must look like kafka://host:port[,host:port]")
        return value

    @field_validator("database_url", "owner_database_url")
    @classmethod
    def _database_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("postgresql+asyncpg://"):
            raise ValueError("MINQING_DATABASE_URL must look like postgresql+asyncpg://user:pass@host:port/db")
        if value is not None and "sslmode=" in value:
            raise ValueError("MINQING_DATABASE_URL: asyncpg takes `ssl=` (disable, prefer, require, verify-ca, "
                             "verify-full), not libpq's `sslmode=`")
        return value

    @model_validator(mode="after")
    def _owner_with_database(self) -> Settings:
        if self.owner_database_url and not self.database_url:
            raise ValueError("MINQING_OWNER_DATABASE_URL needs MINQING_DATABASE_URL (the embedded PostgreSQL has its own)")
        return self

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

    @field_validator("metrics_networks")
    @classmethod
    def _networks(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(","))):
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(f"MINQING_METRICS_NETWORKS: {part!r} is not a network like 10.0.0.0/8") from None
        return value

    @model_validator(mode="after")
    def _kafka_security(self) -> Settings:
        protocol = self.kafka_security_protocol
        if protocol != "PLAINTEXT" and self.kafka_url is None:
            raise ValueError(f"MINQING_KAFKA_SECURITY_PROTOCOL={protocol} needs MINQING_KAFKA_URL: "
                             "the embedded broker only speaks plaintext on loopback")
        if protocol.startswith("SASL_"):
            missing = [name for name, value in (("MINQING_KAFKA_SASL_MECHANISM", self.kafka_sasl_mechanism),
                                                ("MINQING_KAFKA_SASL_USERNAME", self.kafka_sasl_username),
                                                ("MINQING_KAFKA_SASL_PASSWORD", self.kafka_sasl_password))
                       if not value]
            if missing:
                raise ValueError(f"MINQING_KAFKA_SECURITY_PROTOCOL={protocol} needs {', '.join(missing)}")
        elif self.kafka_sasl_mechanism or self.kafka_sasl_username:
            raise ValueError("SASL settings are given but MINQING_KAFKA_SECURITY_PROTOCOL is "
                             f"{protocol}: use SASL_SSL (or SASL_PLAINTEXT on a trusted network)")
        if self.kafka_ssl_keyfile and not self.kafka_ssl_certfile:
            raise ValueError("MINQING_KAFKA_SSL_KEYFILE needs MINQING_KAFKA_SSL_CERTFILE")
        return self

    def metrics_network_list(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(p.strip(), strict=False) for p in self.metrics_networks.split(",") if p.strip()]

    @property
    def is_embedded(self) -> bool:
        return self.kafka_url is None or self.database_url is None

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"


def kafka_bootstrap_servers(kafka_url: str) -> str:
    """`kafka://a:1,b:2` → `a:1,b:2`, the form aiokafka takes."""
    return kafka_url.removeprefix("kafka://").rstrip("/")
