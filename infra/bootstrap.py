"""The composition root: settings → endpoints → engine and services.

Only the CLI calls this, and only the CLI wires `streams` and `api` on top.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from infra.runtime.embedded import EmbeddedRuntime, Endpoints, running_endpoints
from infra.settings import Settings


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@contextlib.contextmanager
def endpoints(settings: Settings, *, attach: bool = True, broker: bool = True) -> Iterator[Endpoints]:
    """External URLs when set; else a running embedded runtime in the data dir; else start one.

    An external database's owner URL is MINQING_OWNER_DATABASE_URL (or, unset, the database
    URL itself); the embedded one's comes from the runtime (or its `runtime.json`). Without
    `broker` (database-only commands) no broker is started and `kafka_url` may be empty."""
    kafka_url, database_url = settings.kafka_url, settings.database_url
    owner_url = settings.owner_database_url
    if attach and (kafka_url is None or database_url is None):
        running = running_endpoints(settings.data_dir) or {}
        kafka_url = kafka_url or running.get("kafka_url")
        if database_url is None:
            database_url, owner_url = running.get("database_url"), running.get("owner_database_url")
    if database_url and (kafka_url or not broker):
        yield Endpoints(kafka_url=kafka_url or "", database_url=database_url, owner_database_url=owner_url or "")
        return
    runtime = EmbeddedRuntime(settings.data_dir, broker=broker and kafka_url is None, postgres=database_url is None)
    with runtime:
        yield Endpoints(kafka_url=kafka_url or runtime.kafka_url or "",
                        database_url=database_url or runtime.database_url or "",
                        owner_database_url=(owner_url if database_url else runtime.owner_database_url) or "")


@dataclass(frozen=True)
class Clock:
    """The one place that reads the wall clock; the domain only ever receives its answer."""

    def __call__(self) -> datetime:
        return utc_now()
