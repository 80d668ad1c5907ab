"""The composition root: settings → endpoints → engine, caches and the service layer.

The CLI, the tests and the benchmarks build a process with `bootstrap`; only the CLI wires
`streams` and `api` on top.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncEngine

from infra.memory.store import MemoryStore
from infra.policy_cache import PolicyCache
from infra.roster_cache import RosterCache
from infra.runtime.embedded import EmbeddedRuntime, Endpoints, running_endpoints
from infra.auth.access import Access
from infra.services.app import Minqing
from infra.settings import Settings

if TYPE_CHECKING:
    from infra.operations import Operations


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


@dataclass
class System:
    """Everything one process needs, wired: the service layer and what it stands on."""
    app: Minqing
    engine: AsyncEngine
    rosters: RosterCache
    policies: PolicyCache
    clock: Callable[[], datetime]

    async def dispose(self) -> None:
        await self.engine.dispose()


def bootstrap(database_url: str, *, topic_prefix: str = "", clock: Callable[[], datetime] | None = None,
              pool_size: int = 10, routing_wait: float | None = None, engine: AsyncEngine | None = None) -> System:
    """The one composition root (CLI, API, worker, tests and benchmarks). Creates objects
    only: the engine connects lazily, on first use, in the running loop. `engine`: one made
    elsewhere (e.g. without a pool, for a test client running in another thread)."""
    from infra.db.due_probe import due_probe
    from infra.db.engine import create_engine
    from infra.db.uow import SqlUnitOfWork

    now = clock or Clock()
    engine = engine or create_engine(database_url, pool_size=pool_size)
    rosters = RosterCache(engine)
    policies = PolicyCache(engine)
    options = {} if routing_wait is None else {"routing_wait": routing_wait}
    app = Minqing(lambda: SqlUnitOfWork(engine, now, rosters, policies), Access(engine, now),
                  topic_prefix=topic_prefix, due_probe=due_probe(engine, now), **options)
    return System(app=app, engine=engine, rosters=rosters, policies=policies, clock=now)


def health_probe(system: System, kafka_url: str, settings: Settings | None = None) -> Operations:
    """`/healthz` and `/metrics` of an API process (`settings`: Kafka security, the metrics
    directory and scraper networks; without them a plaintext broker and this process alone)."""
    from infra.kafka_access import KafkaAccess, kafka_access
    from infra.operations import Operations
    from infra.schema_version import SchemaWatch
    from infra.settings import kafka_bootstrap_servers

    from infra.services.calendar import CalendarOutlook

    async def outlook() -> dict[str, Any]:
        found: dict[str, Any] = await system.app.handle(CalendarOutlook())
        return found

    if settings is None:
        return Operations(engine=system.engine, clock=system.clock, topic_of=system.app.topic,
                          kafka=KafkaAccess(kafka_bootstrap_servers(kafka_url)), schema=SchemaWatch(system.engine),
                          calendar_outlook=outlook)
    return Operations(engine=system.engine, clock=system.clock, topic_of=system.app.topic,
                      kafka=kafka_access(settings, kafka_url),
                      schema=SchemaWatch(system.engine, poll_seconds=settings.schema_poll_seconds),
                      metrics_dir=settings.metrics_dir.resolve() if settings.metrics_dir else None,
                      metrics_networks=tuple(settings.metrics_network_list()), calendar_outlook=outlook,
                      notify_group=settings.notify_group)


def bootstrap_memory(store: MemoryStore, clock: Callable[[], datetime], **options: Any) -> Minqing:
    """The service layer on the in-memory unit of work (fast tests; no tokens or logins)."""
    from infra.memory.uow import memory_units

    return Minqing(memory_units(store, clock), **options)
