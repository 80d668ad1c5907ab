"""The service layer on the in-memory unit of work: the demo township, a clock the test
moves, and helpers that take events in exactly as a worker would."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import orjson
import pytest

from infra.bootstrap import bootstrap_memory
from infra.demo.township import demo_roster
from infra.memory.store import MemoryStore
from infra.services.app import Minqing
from infra.services.intake import IntakeItem
from models.access import Actor, Role
from models.roster import Roster
from tests.conftest import SHANGHAI, hotline_call

V1 = "330782101201"
OPERATOR = Actor(Role.OPERATOR, "t-op1")
ADMIN = Actor(Role.ADMIN)
SECRETARY = Actor(Role.LEADER, "t-sec")       # township party secretary
LEAD1 = Actor(Role.LEADER, "t-lead1")         # leader in charge of villages 1 and 2
V1DIR = Actor(Role.CADRE, "v1-dir")
V1SEC = Actor(Role.CADRE, "v1-sec")
V1M1 = Actor(Role.CADRE, "v1-m1")


class MovableClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(datetime.now(SHANGHAI).replace(microsecond=0))


@pytest.fixture
def store(clock: MovableClock) -> MemoryStore:
    return MemoryStore.with_roster(Roster.from_contract(demo_roster()), clock())


@pytest.fixture
def app(store: MemoryStore, clock: MovableClock) -> Minqing:
    return bootstrap_memory(store, clock, routing_wait=0)


def call(**overrides: Any) -> dict[str, Any]:
    return hotline_call(f"t-{uuid.uuid4().hex[:16]}", **overrides)


async def take_in(app: Minqing, *events: dict[str, Any], topic: str = "hotline.calls") -> list[str]:
    """Case ids the events opened or were linked to (each must have one)."""
    outcomes = await app.ingest([IntakeItem(topic, orjson.dumps(e)) for e in events])
    assert all(o.decision.case_id for o in outcomes), [o.decision for o in outcomes]
    return [o.decision.case_id or "" for o in outcomes]
