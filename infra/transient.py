"""Which failures are the database's or broker's fault, never the event's.

A stopped database must stall the partition (no offset is committed past an unpersisted
event) rather than send good events to the dead-letter topic.
"""
from __future__ import annotations

import asyncio

import asyncpg
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from infra.services.errors import NoRosterYet

_TRANSIENT = (OperationalError, InterfaceError, OSError, ConnectionError, asyncio.TimeoutError, NoRosterYet,
              asyncpg.PostgresConnectionError, asyncpg.InterfaceError, asyncpg.CannotConnectNowError)
# SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57 operator
# intervention (shutdown, "cannot connect now"), 40 serialization failure / deadlock.
_TRANSIENT_SQLSTATES = ("08", "53", "57", "40")


def is_transient(error: BaseException) -> bool:
    return any(_one_is_transient(e) for e in _chain(error))


def _one_is_transient(error: BaseException) -> bool:
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate.startswith(_TRANSIENT_SQLSTATES):
        return True
    return isinstance(error, _TRANSIENT)


def _chain(error: BaseException) -> list[BaseException]:
    """The error, what SQLAlchemy wraps (`orig`) and what caused each, without cycles."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo.extend([getattr(current, "orig", None), current.__cause__, current.__context__])
    return seen
