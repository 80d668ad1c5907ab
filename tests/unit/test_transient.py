"""What waits (the database's or broker's trouble) and what is the event's fault (a dead
letter): a value the database cannot take must never be retried forever."""
from __future__ import annotations

import asyncpg
from asyncpg.exceptions import _base as asyncpg_base
from sqlalchemy.exc import DBAPIError

from infra.transient import is_transient


def _wrapped(error: Exception) -> DBAPIError:
    return DBAPIError("INSERT …", {}, error)


def test_a_lost_connection_waits() -> None:
    assert is_transient(asyncpg.PostgresConnectionError("connection lost"))
    assert is_transient(_wrapped(asyncpg.CannotConnectNowError("the database system is starting up")))
    assert is_transient(ConnectionResetError())


def test_a_value_the_database_cannot_take_is_the_events_fault() -> None:
    client_side = asyncpg_base.DataError("invalid input for query argument $1: 1099511627776 (out of int32 range)")
    assert not is_transient(client_side)
    assert not is_transient(_wrapped(client_side))
    server_side = asyncpg.DataError("value too long for type character varying(64)")
    assert not is_transient(_wrapped(server_side))
