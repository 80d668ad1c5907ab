"""What the API tells an operator about the system: health and metrics.

The HTTP routes only translate: `/healthz` answers `health()` (details for admins only),
`/metrics` answers `metrics()` to an admin or a scraper from an allowed network.
"""
from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client.core import Metric
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.kafka_access import KafkaAccess
from infra.notify.signals import notification_families, notification_signals
from infra.ops_signals import pipeline_signals
from infra.schema_version import SchemaWatch
from infra.scrape import cluster_families, render

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Health:
    ok: bool
    details: dict[str, Any]

    @property
    def status(self) -> str:
        return "ok" if self.ok else "degraded"


@dataclass
class Operations:
    engine: AsyncEngine
    clock: Callable[[], datetime]
    topic_of: Callable[[str], str]
    kafka: KafkaAccess
    schema: SchemaWatch
    metrics_dir: Path | None = None
    metrics_networks: Sequence[Network] = ()
    notify_group: str = "minqing-notify"
    signals_ttl: float = 5.0  # several scrapers (or API instances) share one reading
    # whether the statutory clock runs on official holiday schedules for the coming 60 days
    calendar_outlook: Callable[[], Awaitable[dict[str, Any]]] | None = None
    _signals: tuple[float, dict[str, Any]] | None = field(default=None, repr=False)
    _notifying: tuple[float, dict[str, Any]] | None = field(default=None, repr=False)

    async def health(self, *, details: bool) -> Health:
        database, broker, schema = await asyncio.gather(self._database(), self._broker(), self.schema.state())
        ok = database["ok"] and broker["ok"] and schema.ready
        if not details:
            return Health(ok, {})
        report: dict[str, Any] = {
            "database": database, "broker": broker,
            "schema": {"ready": schema.ready, "database": schema.database, "code": schema.code,
                       "reason": schema.reason or None},
            "pipeline": await self.signals() if database["ok"] and broker["ok"] else None,
            # the notifiers report here but do not make the API unhealthy: they run apart
            "notifications": await self._notifying_or_why() if database["ok"] and broker["ok"] else None,
        }
        if database["ok"] and self.calendar_outlook is not None:
            report["calendar"] = await self._calendar()
        return Health(ok, report)

    async def _calendar(self) -> dict[str, Any]:
        """A warning, not a failure: deadlines are counted on the law's holidays meanwhile."""
        assert self.calendar_outlook is not None
        try:
            outlook = await self.calendar_outlook()
        except Exception as error:  # noqa: BLE001 - e.g. no roster yet: say so, do not fail health
            return {"error": type(error).__name__}
        if outlook["provisional_ahead"]:
            years = ", ".join(str(y) for y in outlook["provisional_years"])
            outlook["warning"] = (f"no official holiday schedule for {years} within the next 60 days: deadlines "
                                  "are provisional until `minqing calendar import` loads one")
        return outlook

    async def signals(self) -> dict[str, Any]:
        if self._signals is not None and time.monotonic() - self._signals[0] < self.signals_ttl:
            return self._signals[1]
        signals = await pipeline_signals(self.engine, self.topic_of, self.kafka.client_options(), self.clock())
        self._signals = (time.monotonic(), signals)
        return signals

    async def _notifying_or_why(self) -> dict[str, Any]:
        try:
            return await self.notifying()
        except Exception as error:  # noqa: BLE001 - e.g. a schema before the notifications: say so, stay up
            return {"error": f"{type(error).__name__}"}

    async def notifying(self) -> dict[str, Any]:
        if self._notifying is not None and time.monotonic() - self._notifying[0] < self.signals_ttl:
            return self._notifying[1]
        signals = await notification_signals(self.engine, self.topic_of, self.kafka.client_options(),
                                             self.notify_group, self.clock())
        self._notifying = (time.monotonic(), signals)
        return signals

    async def metrics(self) -> bytes:
        extra: list[Metric] = []
        # a database outage (or a schema without the notification tables yet) must not hide
        # the processes' own metrics
        with contextlib.suppress(Exception):
            extra += cluster_families(await self.signals())
        with contextlib.suppress(Exception):
            extra += notification_families(await self.notifying())
        return render(self.metrics_dir, extra)

    def scraper_allowed(self, address: str | None) -> bool:
        if not address or not self.metrics_networks:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.metrics_networks)

    async def _database(self) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            async with self.engine.connect() as conn:
                await asyncio.wait_for(conn.execute(text("select 1")), 3)
        except Exception as error:  # noqa: BLE001 - any failure means unreachable
            return {"ok": False, "error": type(error).__name__}
        return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}

    async def _broker(self) -> dict[str, Any]:
        started = time.perf_counter()
        admin = AIOKafkaAdminClient(request_timeout_ms=3000, **self.kafka.client_options())
        try:
            await asyncio.wait_for(admin.start(), 3)
            topics = await asyncio.wait_for(admin.list_topics(), 3)
        except Exception as error:  # noqa: BLE001
            return {"ok": False, "error": f"{error.__class__.__name__}: {error}"[:300]}
        finally:
            await admin.close()
        return {"ok": True, "topics": len(topics), "latency_ms": round((time.perf_counter() - started) * 1000, 1)}

