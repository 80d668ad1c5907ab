"""Retrying what is the database's or broker's fault until it works."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from infra.log_redaction import log_failure
from infra.transient import is_transient

T = TypeVar("T")
log = logging.getLogger(__name__)

async def until_done(attempt: Callable[[], Awaitable[T]], *, what: str, max_delay: float = 5.0,
                     retry_everything: bool = False) -> T:
    """Retry transient failures (or, with `retry_everything`, any failure: a bug then
    stalls the partition, visibly in the log, instead of losing what it was holding)."""
    delay = 0.1
    while True:
        try:
            return await attempt()
        except Exception as error:  # noqa: BLE001 - classified just below
            transient = is_transient(error)
            if not (transient or retry_everything):
                raise
            if transient:
                log.warning("%s failed (%s); retrying in %.1fs", what, error.__class__.__name__, delay)
            else:
                log_failure(log, "%s failed unexpectedly; retrying in %.1fs", what, delay, error=error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)
