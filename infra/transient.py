"""Which failures are the database's or broker's fault, never the event's.

A stopped database must stall the partition (no offset is committed past an unpersisted
event) rather than send good events to the dead-letter topic.
"""
from __future__ import annotations

import asyncio

import asyncpg
from asyncpg.exceptions import _base as asyncpg_base
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError

from infra.services.errors import NoRosterYet

_TRANSIENT = (OperationalError, InterfaceError, OSError, ConnectionError, asyncio.TimeoutError, NoRosterYet,
              asyncpg.PostgresConnectionError, asyncpg.InterfaceError, asyncpg.CannotConnectNowError)
# SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57 operator
# intervention (shutdown, "cannot connect now"), 40 serialization failure / deadlock.
_TRANSIENT_SQLSTATES = ("08", "53", "57", "40")
# A value the database (or asyncpg, before sending it) cannot take is the event's fault: it
# must be dead-lettered, not retried forever. asyncpg's client-side data error is an
# InterfaceError, so it would otherwise look like a broken connection.
_DATA_ERRORS = (asyncpg_base.DataError, asyncpg.DataError, DataError)
_DATA_SQLSTATE = "22"


def is_transient(error: BaseException) -> bool:
    chain = _chain(error)
    if any(_is_data_error(e) for e in chain):
        return False
    return any(_one_is_transient(e) for e in chain)


def _is_data_error(error: BaseException) -> bool:
    sqlstate = getattr(error, "sqlstate", None)
    return isinstance(error, _DATA_ERRORS) or (isinstance(sqlstate, str) and sqlstate.startswith(_DATA_SQLSTATE))


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
