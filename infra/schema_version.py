"""Is the database's schema the one this code was written for?

A worker started before `minqing migrate` would fail on every batch and (were the failures
taken for the events' fault) dead-letter good events. So a process whose code expects a
newer schema than the database has does not start work: it waits, polling, and says why.
A database *ahead* of the code (a newer release migrated it during a rolling upgrade) is
accepted: migrations only add, so older code keeps working until it is replaced.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.transient import is_transient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SchemaState:
    ready: bool
    database: str | None  # the revision the database is at (None: never migrated)
    code: str  # the revision this code expects
    reason: str = ""
    known: bool = True  # False: the database could not be asked (then nothing is known to be wrong with it)

    @property
    def behind(self) -> bool:
        return self.known and not self.ready


def judge(database: Sequence[str], lineage: Sequence[str]) -> SchemaState:
    """`lineage`: this code's revisions, newest (the head) first."""
    head = lineage[0]
    if not database:
        return SchemaState(False, None, head, f"the database has no schema yet (this code needs {head}): "
                                              "run `minqing migrate`")
    current = database[0] if len(database) == 1 else ",".join(sorted(database))
    if head in database:
        return SchemaState(True, current, head)
    behind = [revision for revision in database if revision in lineage]
    if behind:
        return SchemaState(False, current, head, f"the database schema is at {current} but this code needs "
                                                 f"{head}: run `minqing migrate`")
    return SchemaState(True, current, head, f"the database schema {current} is newer than this code ({head}); "
                                            "carrying on (migrations only add)")


@cache
def code_lineage() -> tuple[str, ...]:
    """This code's migrations, head first (read from infra/migrations, never from the database)."""
    from alembic.script import ScriptDirectory

    from infra.db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("postgresql+asyncpg://unused/unused"))
    return tuple(revision.revision for revision in script.walk_revisions())


async def database_revisions(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        exists = (await conn.execute(text("select to_regclass('alembic_version') is not null"))).scalar()
        if not exists:
            return []
        return list((await conn.execute(text("select version_num from alembic_version"))).scalars())


async def schema_state(engine: AsyncEngine) -> SchemaState:
    return judge(await database_revisions(engine), code_lineage())


async def wait_for_schema(engine: AsyncEngine, *, poll_seconds: float, component: str) -> SchemaState:
    """Return once the schema is ready; until then say why every `poll_seconds` (and in metrics)."""
    from infra.metrics import SCHEMA_READY

    while True:
        try:
            state = await schema_state(engine)
        except (DBAPIError, OSError) as error:
            if not is_transient(error):
                raise
            log.warning("%s: database unreachable (%s); waiting for it", component, type(error).__name__)
            await asyncio.sleep(poll_seconds)
            continue
        SCHEMA_READY.labels(component=component).set(1 if state.ready else 0)
        if state.ready:
            if state.reason:
                log.warning("%s: %s", component, state.reason)
            return state
        log.warning("%s is waiting: %s", component, state.reason)
        await asyncio.sleep(poll_seconds)


class SchemaWatch:
    """The API's view: ready once, ready for good; until then looked at again every
    `poll_seconds` at most, whoever asks."""

    def __init__(self, engine: AsyncEngine, *, poll_seconds: float = 5.0, component: str = "api") -> None:
        self._engine = engine
        self._poll = poll_seconds
        self._component = component
        self._state: SchemaState | None = None
        self._checked = 0.0
        self._lock = asyncio.Lock()

    async def state(self) -> SchemaState:
        if self._state is not None and (self._state.ready or time.monotonic() - self._checked < self._poll):
            return self._state
        async with self._lock:
            if self._state is None or not self._state.ready and time.monotonic() - self._checked >= self._poll:
                await self._refresh()
        assert self._state is not None
        return self._state

    async def _refresh(self) -> None:
        from infra.metrics import SCHEMA_READY

        try:
            state = await schema_state(self._engine)
        except Exception as error:  # noqa: BLE001 - unreachable now is not ready now
            state = SchemaState(False, None, code_lineage()[0], f"cannot read the schema version: "
                                                                f"{type(error).__name__}", known=False)
        if state.behind:
            log.warning("%s is waiting: %s", self._component, state.reason)
        SCHEMA_READY.labels(component=self._component).set(1 if state.ready else 0)
        self._state, self._checked = state, time.monotonic()


async def wait_for_schema_at(database_url: str, *, poll_seconds: float, component: str) -> SchemaState:
    """`wait_for_schema` with an engine of its own (the caller's loop may not be this one)."""
    from infra.db.engine import create_engine

    engine = create_engine(database_url, pool_size=1, name=None)
    try:
        return await wait_for_schema(engine, poll_seconds=poll_seconds, component=component)
    finally:
        await engine.dispose()
