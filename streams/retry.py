"""Retrying what is the database's or broker's fault, never the event's.

A stopped database must stall the partition (no offset is committed past an
unpersisted event) rather than send good events to the dead-letter topic.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from infra.roster_cache import NoRosterYet

T = TypeVar("T")
log = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, OSError, ConnectionError, asyncio.TimeoutError, NoRosterYet)


def is_transient(error: BaseException) -> bool:
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, TRANSIENT)


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
