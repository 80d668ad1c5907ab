"""Settings read from the environment (CONTRACT "Settings"), validated at start.

Nothing here connects anywhere: a `Settings` is plain data, built by the composition
root (`infra.bootstrap`) and handed to whatever needs it.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator
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
    # faust/aiokafka group timeouts, seconds: quick rebalances on Tansu, safe on Kafka.
    session_timeout: float = Field(default=10.0, gt=0)
    rebalance_timeout: float = Field(default=10.0, gt=0)
    heartbeat_interval: float = Field(default=1.0, gt=0)
    # aiokafka's fetch wait; Tansu answers a fetch only when it runs out, so it bounds latency.
    fetch_max_wait_ms: int = Field(default=10, ge=0, le=5000)
    # Intake batches: up to this many events, or whatever arrived within the window.
    batch_size: int = Field(default=500, ge=1, le=5000)
    batch_window_ms: int = Field(default=20, ge=1, le=5000)
    # After this many days raw events (dead letters, relayed outgoing events, the event copies
    # kept with cases and repeat links) lose their personal data: `minqing retention run`.
    retention_days: int = Field(default=180, ge=7, le=3650)

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
        return value

    @model_validator(mode="after")
    def _owner_with_database(self) -> Settings:
        if self.owner_database_url and not self.database_url:
            raise ValueError("MINQING_OWNER_DATABASE_URL needs MINQING_DATABASE_URL (the embedded PostgreSQL has its own)")
        return self

    @property
    def is_embedded(self) -> bool:
        return self.kafka_url is None or self.database_url is None

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"


def kafka_bootstrap_servers(kafka_url: str) -> str:
    """`kafka://a:1,b:2` → `a:1,b:2`, the form aiokafka takes."""
    return kafka_url.removeprefix("kafka://").rstrip("/")
