"""The operator's one-line view of a running system (`minqing up`, `minqing status`):
health, intake throughput, consumer lag, outbox backlog, overdue cases, dead letters.

Read from the broker and PostgreSQL (and the API's public `/healthz`), so it describes the
whole deployment, not one process. Throughput is the rate at which the consumer group's
committed offsets move between two readings.
"""
from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import IO, Any

import httpx
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.kafka_access import KafkaAccess
from infra.ops_signals import pipeline_signals
from infra.schema_version import SchemaState, schema_state


@dataclass(frozen=True)
class Snapshot:
    taken: float  # time.monotonic()
    database_ok: bool
    broker_ok: bool
    api: str | None = None  # "ok" | "degraded" | "down" | None (not asked)
    schema: SchemaState | None = None
    lag: int | None = None
    committed: int | None = None
    outbox: int | None = None
    dead_letters: int | None = None
    overdue: int | None = None
    problem: str | None = None

    @property
    def healthy(self) -> bool:
        return (self.database_ok and self.broker_ok and self.api in (None, "ok")
                and (self.schema is None or self.schema.ready))


def from_signals(taken: float, signals: dict[str, Any], schema: SchemaState | None, api: str | None) -> Snapshot:
    lag = signals.get("consumer_lag")
    broker_ok = isinstance(lag, dict) and "error" not in lag
    return Snapshot(
        taken=taken, database_ok=True, broker_ok=broker_ok, api=api, schema=schema,
        lag=sum(lag.values()) if broker_ok else None,
        committed=signals.get("committed_offsets") if broker_ok else None,
        outbox=sum(signals.get("backlog", {}).values()),
        dead_letters=sum(signals.get("dead_letters_pending", {}).values()),
        overdue=signals.get("overdue_open_cases"),
        problem=None if broker_ok else f"broker: {lag.get('error') if isinstance(lag, dict) else lag}")


def throughput(previous: Snapshot | None, current: Snapshot) -> float | None:
    if previous is None or previous.committed is None or current.committed is None:
        return None
    elapsed = current.taken - previous.taken
    return max(0, current.committed - previous.committed) / elapsed if elapsed > 0 else None


def health_words(snapshot: Snapshot) -> str:
    if snapshot.healthy:
        return "ok"
    why = []
    if not snapshot.database_ok:
        why.append("database unreachable")
    if not snapshot.broker_ok:
        why.append("broker unreachable")
    if snapshot.schema is not None and not snapshot.schema.ready:
        why.append("waiting for `minqing migrate`")
    if snapshot.api not in (None, "ok"):
        why.append(f"api {snapshot.api}")
    return "degraded: " + ", ".join(why)


def status_line(previous: Snapshot | None, current: Snapshot, now: datetime | None = None) -> str:
    clock = (now or datetime.now()).strftime("%H:%M:%S")
    rate = throughput(previous, current)
    parts = [health_words(current),
             "… events/s" if rate is None else f"{rate:.1f} events/s",
             f"lag {'?' if current.lag is None else current.lag}",
             f"outbox {'?' if current.outbox is None else current.outbox}",
             f"overdue {'?' if current.overdue is None else current.overdue}",
             f"dead letters {'?' if current.dead_letters is None else current.dead_letters}"]
    return f"{clock}  " + " · ".join(parts)


def safe_url(url: str) -> str:
    """A URL fit to print: the password hidden."""
    if url.startswith("postgresql"):
        return make_url(url).render_as_string(hide_password=True)
    return url


async def api_health(api_url: str | None) -> str | None:
    if api_url is None:
        return None
    try:
        async with httpx.AsyncClient(timeout=3) as client:
            answer = await client.get(f"{api_url}/healthz")
    except httpx.HTTPError:
        return "down"
    return "ok" if answer.status_code == 200 else "degraded"


async def take_snapshot(engine: AsyncEngine, kafka: KafkaAccess, topic_of: Callable[[str], str],
                        api_url: str | None = None) -> Snapshot:
    taken = time.monotonic()
    api = await api_health(api_url)
    try:
        schema = await schema_state(engine)
        signals = await pipeline_signals(engine, topic_of, kafka.client_options(), datetime.now(timezone.utc))
    except Exception as error:  # noqa: BLE001 - the line says the database is unreachable
        return Snapshot(taken, database_ok=False, broker_ok=False, api=api, problem=type(error).__name__)
    return from_signals(taken, signals, schema, api)


class LiveStatus:
    """`minqing up`'s live line, refreshed every `interval` seconds in a thread of its own:
    rewritten in place at a terminal, else printed every `plain_every` seconds."""

    def __init__(self, snapshot: Callable[[], Any], *, interval: float = 2.0, plain_every: float = 30.0,
                 out: IO[str] | None = None) -> None:
        self._snapshot = snapshot  # an async callable returning a Snapshot
        self._interval = interval
        self._plain_every = plain_every
        self._out = out or sys.stdout
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="minqing-status", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        if self._out.isatty():
            self._out.write("\n")

    def _run(self) -> None:
        asyncio.run(self._loop())

    async def _loop(self) -> None:
        previous: Snapshot | None = None
        printed = 0.0
        tty = self._out.isatty()
        try:
            while not self._stop.is_set():
                current = await self._snapshot()
                line = status_line(previous, current)
                if tty:
                    self._out.write("\r\033[K" + line)
                    self._out.flush()
                elif time.monotonic() - printed >= self._plain_every:
                    print(line, file=self._out, flush=True)
                    printed = time.monotonic()
                previous = current
                await asyncio.to_thread(self._stop.wait, self._interval)
        finally:
            close = getattr(self._snapshot, "aclose", None)
            if close is not None:
                await close()
