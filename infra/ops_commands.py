"""`minqing status`: the running system at a glance (CONTRACT "Operations"), and the
pieces `minqing up` uses for its own status and live line."""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from pathlib import Path
from typing import Any

import psutil

from infra.kafka_access import kafka_access
from infra.runtime.embedded import Endpoints, running_endpoints
from infra.settings import Settings
from infra.system_status import LiveStatus, Snapshot, health_words, safe_url, status_line, take_snapshot

_UP_FILE = "up.json"


class Probe:
    """Takes snapshots with an engine of its own, created in the loop that uses it."""

    def __init__(self, settings: Settings, endpoints: Endpoints, api_url: str | None) -> None:
        self._settings = settings
        self._endpoints = endpoints
        self._api_url = api_url
        self._engine: Any = None

    async def __call__(self) -> Snapshot:
        from infra.db.engine import create_engine

        if self._engine is None:
            self._engine = create_engine(self._endpoints.database_url, pool_size=1, name=None)
        return await take_snapshot(self._engine, kafka_access(self._settings, self._endpoints.kafka_url),
                                   self._settings.topic, self._api_url)

    async def aclose(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()


def remember_api_url(data_dir: Path, url: str) -> None:
    """`minqing up` notes where its API listens, for `minqing status`."""
    (data_dir.resolve() / _UP_FILE).write_text(json.dumps({"pid": os.getpid(), "api_url": url}))


def forget_api_url(data_dir: Path) -> None:
    (data_dir.resolve() / _UP_FILE).unlink(missing_ok=True)


def running_api_url(settings: Settings) -> str:
    try:
        noted = json.loads((settings.data_dir.resolve() / _UP_FILE).read_text())
        if psutil.pid_exists(int(noted["pid"])):
            return str(noted["api_url"])
    except (OSError, ValueError, KeyError):
        pass
    return f"http://{settings.api_host}:{settings.api_port}"


def live_status(settings: Settings, endpoints: Endpoints, api_url: str) -> LiveStatus:
    return LiveStatus(Probe(settings, endpoints, api_url))


def describe(endpoints: Endpoints, api_url: str, first: Snapshot, second: Snapshot) -> str:
    return "\n".join([
        f"Minqing at {api_url}: {health_words(second)}",
        f"  api:      {second.api}",
        f"  broker:   {safe_url(endpoints.kafka_url)} ({'ok' if second.broker_ok else 'unreachable'})",
        f"  database: {safe_url(endpoints.database_url)} ({_database_words(second)})",
        "  " + status_line(first, second),
    ])


def _database_words(snapshot: Snapshot) -> str:
    schema = snapshot.schema
    if not snapshot.database_ok or schema is None:
        return "unreachable"
    return f"schema {schema.database}" + ("" if schema.ready else f", this code needs {schema.code}")


def cmd_status(args: argparse.Namespace) -> None:
    from pydantic import ValidationError

    from infra.bootstrap import endpoints

    try:
        settings = Settings()
    except ValidationError as error:
        raise SystemExit(f"minqing: invalid settings: {error}") from None
    api_url = args.url or running_api_url(settings)
    if (settings.kafka_url is None or settings.database_url is None) and running_endpoints(settings.data_dir) is None:
        raise SystemExit(f"minqing: nothing is running in {settings.data_dir.resolve()}: start it with "
                         "`minqing up`, or set MINQING_KAFKA_URL and MINQING_DATABASE_URL")
    with endpoints(settings) as ep:
        if args.watch:
            watcher = LiveStatus(Probe(settings, ep, api_url), interval=args.interval, plain_every=0)
            watcher.start()
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                watcher.stop()
            return

        async def twice() -> tuple[Snapshot, Snapshot]:
            probe = Probe(settings, ep, api_url)
            try:
                first = await probe()
                await asyncio.sleep(args.interval)
                return first, await probe()
            finally:
                await probe.aclose()
        first, second = asyncio.run(twice())
    print(describe(ep, api_url, first, second))
    if not second.healthy:
        raise SystemExit(1)


def add_parsers(sub: Any) -> None:
    status = sub.add_parser("status", help="health, throughput, lag and overdue cases of the running system")
    status.add_argument("--watch", action="store_true", help="keep a live line until Ctrl-C")
    status.add_argument("--interval", type=float, default=2.0, help="seconds between two readings")
    status.add_argument("--url", default=None, help="the API's URL (default: the running `minqing up`'s, "
                                                     "else MINQING_API_HOST:MINQING_API_PORT)")
    status.set_defaults(func=cmd_status)
