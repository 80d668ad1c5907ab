"""Background loops of every worker: the outbox relay and the escalation scheduler.

Both are safe to run in every worker at once: the relay elects itself with an advisory
lock, the scheduler claims cases with SKIP LOCKED. Neither ever dies of an error: a
database or broker outage is waited out, and a bug is logged and retried.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from infra.log_redaction import log_failure
from infra.logs import log_context
from infra.transient import is_transient

log = logging.getLogger(__name__)


async def keep_running(work: Callable[[], Awaitable[int]], *, idle_seconds: float, what: str) -> None:
    """Call `work` forever: again at once while it finds work, after `idle_seconds` when not."""
    with log_context(task=what):
        await _keep_running(work, idle_seconds=idle_seconds, what=what)


async def _keep_running(work: Callable[[], Awaitable[int]], *, idle_seconds: float, what: str) -> None:
    while True:
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
        await asyncio.sleep(0 if done else idle_seconds)


def add_background_loops(app: Any, relay: Any, escalate_due: Callable[[], Awaitable[int]], *,
                         relay_idle: float = 0.05, scheduler_idle: float = 0.5) -> None:
    async def outbox_relay() -> None:
        await relay.start()
        try:
            await keep_running(relay.run_once, idle_seconds=relay_idle, what="outbox relay")
        finally:
            await relay.stop()

    async def escalation_scheduler() -> None:
        await keep_running(escalate_due, idle_seconds=scheduler_idle, what="escalation scheduler")

    app.task(outbox_relay)
    app.task(escalation_scheduler)
