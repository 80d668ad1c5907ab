"""`minqing notify`: one notifier process (run as many as you like: they share the consumer
group `minqing-notify` and the deliveries). Registered by `infra.cli.build_parser`."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import httpx

from infra.runtime.embedded import Endpoints
from infra.settings import Settings

if TYPE_CHECKING:
    from infra.notify.notifier import Notifier

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def notifier_for(settings: Settings, endpoints: Endpoints,
                       clock: Callable[[], datetime] | None = None) -> AsyncIterator["Notifier"]:
    """One notifier on the composition root's engine, roster cache and clock, with its channels."""
    from infra.bootstrap import bootstrap
    from infra.notify.channels import build_channels
    from infra.notify.dispatcher import Dispatcher
    from infra.notify.notifier import Notifier
    from infra.notify.planner import Planner
    from models.notification_channels import RetryPolicy
    from models.notifications import Policy

    system = bootstrap(endpoints.database_url, topic_prefix=settings.topic_prefix, clock=clock, pool_size=4)
    client = httpx.AsyncClient(timeout=settings.notify_timeout_seconds)
    try:
        channels = build_channels(settings, client)
        retry = RetryPolicy(settings.notify_max_attempts, timedelta(seconds=settings.notify_retry_seconds))
        dispatcher = Dispatcher(system.engine, channels, system.clock, retry=retry,
                                timeout=settings.notify_timeout_seconds)
        policy = Policy(tracking_url=settings.public_url.rstrip("/") + "/ui/track?code={code}")
        yield Notifier(system.engine, system.rosters, settings, endpoints.kafka_url, system.clock,
                       Planner(dispatcher.configured, policy), dispatcher)
    finally:
        await client.aclose()
        await system.dispose()


def cmd_notify(args: argparse.Namespace) -> None:
    from infra.bootstrap import endpoints
    from infra.observability import start_process
    from infra.schema_version import wait_for_schema_at
    from infra.settings import Settings
    from infra.topics import ensure_topics

    settings = Settings()
    start_process(settings, "notify", args.loglevel)  # its logs, and its metrics (own port or shared dir)
    with endpoints(settings) as ep:
        async def run() -> None:
            # like a worker: nothing is consumed before the tables it writes exist
            await wait_for_schema_at(ep.database_url, poll_seconds=settings.schema_poll_seconds, component="notify")
            await ensure_topics(settings, ep.kafka_url)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            async with notifier_for(settings, ep) as notifier:
                channels = ", ".join(sorted(notifier.dispatcher.configured)) or "in-app only"
                log.info("notifier started (group %s; channels: %s)", settings.notify_group, channels)
                await notifier.run(stop)
        asyncio.run(run())
    print("minqing: notifier stopped")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    notify = sub.add_parser("notify", help="run a notifier: case events and alerts to in-app, webhook, "
                                           "DingTalk, WeCom, e-mail and SMS")
    notify.set_defaults(func=cmd_notify)
