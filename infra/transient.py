"""Which failures are the database's or broker's fault, never the event's.

A stopped database must stall the partition (no offset is committed past an unpersisted
event) rather than send good events to the dead-letter topic.
"""
from __future__ import annotations

import asyncio

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from infra.roster_cache import NoRosterYet

_TRANSIENT = (OperationalError, InterfaceError, OSError, ConnectionError, asyncio.TimeoutError, NoRosterYet)


def is_transient(error: BaseException) -> bool:
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, DBAPIError) and _is_connection_error(error.orig):
        return True
    return isinstance(error, _TRANSIENT)


def _is_connection_error(original: object) -> bool:
    name = type(original).__name__
    return "Connection" in name or "CannotConnectNow" in name or "AdminShutdown" in name
