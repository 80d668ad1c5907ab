"""Retrying what is the database's or broker's fault until it works."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from infra.transient import is_transient

T = TypeVar("T")
log = logging.getLogger(__name__)

__all__ = ["is_transient", "until_done"]


async def until_done(attempt: Callable[[], Awaitable[T]], *, what: str, max_delay: float = 5.0) -> T:
    delay = 0.1
    while True:
        try:
            return await attempt()
        except Exception as error:  # noqa: BLE001 - classified just below
            if not is_transient(error):
                raise
            log.warning("%s failed (%s); retrying in %.1fs", what, error.__class__.__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)
