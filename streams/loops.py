"""Background loops of every worker: the outbox relay and the escalation scheduler.

Both are safe to run in every worker at once: the relay elects itself with an advisory
lock, the scheduler claims cases with SKIP LOCKED. Neither ever dies of an error: a
database or broker outage is waited out, and a bug is logged and retried.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from infra.log_redaction import log_failure
from infra.logs import log_context
from infra.transient import is_transient

log = logging.getLogger(__name__)
# The relay's poll when nothing woke it: only rows other processes wrote wait for it.
RELAY_IDLE = 0.2


async def keep_running(work: Callable[[], Awaitable[int]], *, idle_seconds: float, what: str,
                       wake: asyncio.Event | None = None) -> None:
    """Call `work` forever: again at once while it finds work; when not, after `idle_seconds`
    or as soon as `wake` is set (by whoever has just made work for it), whichever is first."""
    with log_context(task=what):
        await _keep_running(work, idle_seconds=idle_seconds, what=what, wake=wake or asyncio.Event())


async def _keep_running(work: Callable[[], Awaitable[int]], *, idle_seconds: float, what: str,
                        wake: asyncio.Event) -> None:
    while True:
        wake.clear()  # a wake-up from now on, during the work, means more work: run again
        try:
            done = await work()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - a loop that must never stop
            if is_transient(error):
                log.warning("%s: %s; retrying", what, error.__class__.__name__)
            else:
                log_failure(log, "%s failed; retrying", what, error=error)
            done = 0
            await asyncio.sleep(1.0)
        if done:
            await asyncio.sleep(0)
        else:
            await _woken(wake, idle_seconds)


async def _woken(wake: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(wake.wait(), seconds)


def add_background_loops(app: Any, relay: Any, escalate_due: Callable[[], Awaitable[int]], relay_wake: asyncio.Event,
                         *, relay_idle: float = RELAY_IDLE, scheduler_idle: float = 0.5) -> None:
    """The relay runs when `relay_wake` is set (intake sets it after each batch it stored, the
    scheduler after each batch it escalated), polling every `relay_idle` only for what other
    processes write (the API's accepted events, a replay of dead letters)."""
    async def outbox_relay() -> None:
        await relay.start()
        try:
            await keep_running(relay.run_once, idle_seconds=relay_idle, what="outbox relay", wake=relay_wake)
        finally:
            await relay.stop()

    async def escalate_and_wake_the_relay() -> int:
        claimed = await escalate_due()
        if claimed:
            relay_wake.set()
        return claimed

    async def escalation_scheduler() -> None:
        await keep_running(escalate_and_wake_the_relay, idle_seconds=scheduler_idle, what="escalation scheduler")

    app.task(outbox_relay)
    app.task(escalation_scheduler)
