"""Senders: one loop per channel, so a slow or failing channel never holds up another (nor
the intake, which never waits for any of them). Each loop claims due deliveries, sends them
concurrently, each within a timeout, and records the outcome: sent, retry later, or dead."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infra.metrics import NOTIFICATION_SECONDS, NOTIFICATIONS
from infra.notify import deliveries
from infra.notify.channels.base import Channel, DeliveryFailed
from infra.transient import is_transient
from models.notification_channels import RetryPolicy

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(self, engine: AsyncEngine, channels: Mapping[str, Channel], clock: Callable[[], datetime], *,
                 retry: RetryPolicy = RetryPolicy(), timeout: float = 10.0, batch: int = 50,
                 poll_seconds: float = 1.0) -> None:
        self._engine, self._channels, self._clock = engine, dict(channels), clock
        self._retry, self._timeout, self._batch, self._poll = retry, timeout, batch, poll_seconds
        self._wake = {name: asyncio.Event() for name in self._channels}

    @property
    def configured(self) -> frozenset[str]:
        return frozenset(self._channels)

    def wake(self, channels: set[str]) -> None:
        """New deliveries were stored in this process: no need to wait for the next poll."""
        for name in channels & set(self._wake):
            self._wake[name].set()

    async def run(self) -> None:
        await asyncio.gather(*(self._loop(name) for name in self._channels))

    async def _loop(self, name: str) -> None:
        while True:
            try:
                sent = await self.run_once(name)
            except Exception as error:  # noqa: BLE001 - a sender must outlive any failure
                if not is_transient(error):
                    log.exception("notification sender %s failed", name)
                else:
                    log.warning("notification sender %s waits for the database: %s", name, error)
                sent = 0
            if sent < self._batch:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake[name].wait(), self._poll)
                self._wake[name].clear()

    async def run_once(self, name: str) -> int:
        """Claim and send one batch on one channel; returns how many were claimed."""
        channel = self._channels[name]
        lease = timedelta(seconds=self._timeout * 2 + 5)
        async with self._engine.begin() as conn:
            claimed = await deliveries.claim(conn, name, self._clock(), lease, self._batch)
        if claimed:
            results = await asyncio.gather(*(self._attempt(channel, c) for c in claimed))
            async with self._engine.begin() as conn:
                for item, error in zip(claimed, results, strict=True):
                    await self._settle(conn, item, error)
        return len(claimed)

    async def _attempt(self, channel: Channel, item: deliveries.Claimed) -> DeliveryFailed | None:
        started = time.perf_counter()
        try:
            await asyncio.wait_for(channel.send(item.message), self._timeout)
            return None
        except DeliveryFailed as error:
            return error
        except asyncio.TimeoutError:
            return DeliveryFailed(f"no answer within {self._timeout:g} s")
        except Exception as error:  # noqa: BLE001 - connection refused, TLS, DNS…: worth another try
            return DeliveryFailed(f"{type(error).__name__}: {error}")
        finally:
            NOTIFICATION_SECONDS.labels(channel=item.message.channel).observe(time.perf_counter() - started)

    async def _settle(self, conn: AsyncConnection, item: deliveries.Claimed, error: DeliveryFailed | None) -> None:
        now = self._clock()
        if error is None:
            await deliveries.delivered(conn, item, now)
            NOTIFICATIONS.labels(channel=item.message.channel, result="sent").inc()
            return
        retry_at = None if error.permanent else self._retry.next_try(item.attempt, now)
        log.warning("%s delivery %s (attempt %s) failed: %s%s", item.message.channel, item.message.delivery_id,
                    item.attempt, error, "" if retry_at else "; dead-lettered")
        await deliveries.failed(conn, item, now, str(error), retry_at)
        NOTIFICATIONS.labels(channel=item.message.channel, result="retried" if retry_at else "dead").inc()
