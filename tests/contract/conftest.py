"""The two implementations the contract tests run on."""
from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest

from infra.bootstrap import bootstrap, bootstrap_memory
from infra.demo.township import demo_roster
from infra.memory.store import MemoryStore
from infra.services.app import Minqing
from models.roster import Roster
from tests.conftest import SHANGHAI


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(SHANGHAI).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["memory", "postgres"])
async def backend(request: pytest.FixtureRequest, engine: Any) -> AsyncIterator[tuple[Minqing, Clock]]:
    """`engine`: the shared real PostgreSQL with the demo township (the memory store gets
    the same township)."""
    clock = Clock()
    if request.param == "memory":
        yield bootstrap_memory(MemoryStore.with_roster(Roster.from_contract(demo_roster()), clock()), clock,
                               routing_wait=0), clock
    else:
        yield bootstrap("", engine=engine, clock=clock, routing_wait=0).app, clock
