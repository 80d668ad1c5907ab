"""A seeded random walk through a township's cases — new events, work on a case, time passing
with the scheduler — for contract tests that hold a kept projection (counts, rate facts) to
what the cases themselves say after any history. Each test says what a new event and the
natural next action look like; the walk does the rest alike for both."""
from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson

from infra.services.app import Minqing
from infra.services.casework import DelegateCase
from infra.services.errors import ServiceError
from infra.services.intake import IntakeItem
from infra.services.reads import GetCase
from models.access import Actor, Role
from models.errors import DomainError
from tests.contract.conftest import Clock

VILLAGES = ["330782101201", "330782101202", "330782101203", "330782101204", "330782101205"]
ADMIN, OPERATOR = Actor(Role.ADMIN), Actor(Role.OPERATOR, "t-op1")

NewEvents = Callable[[random.Random, Clock], Sequence[tuple[str, Mapping[str, Any]]]]
# (rng, the cadre at work on the case, the case id) → the natural next command per status
NaturalNext = Callable[[random.Random, Actor, str], Mapping[str, Any]]


def actor_of(cadre_id: str) -> Actor:
    return Actor(Role.LEADER if cadre_id.startswith("t-") else Role.CADRE, cadre_id)


def village_cadre(village: str, post: str) -> str:
    return f"v{VILLAGES.index(village) + 1}-{post}"


@dataclass(frozen=True)
class Walk:
    new_events: NewEvents
    natural_next: NaturalNext
    hours: Sequence[int]                      # how far time may jump in one step
    weights: tuple[int, int, int] = (2, 8, 1)  # new events, work on a case, time passing
    natural_share: float = 0.8                # the rest of the work steps delegate the case

    async def step(self, app: Minqing, clock: Clock, rng: random.Random, ours: list[str]) -> None:
        move = rng.choices(["events", "work", "time"], weights=self.weights)[0]
        if move == "events" or not ours:
            items = [IntakeItem(topic, orjson.dumps(event)) for topic, event in self.new_events(rng, clock)]
            ours += [o.decision.case_id for o in await app.ingest(items) if o.decision.kind == "opened"]
            return
        if move == "time":
            clock.now += timedelta(hours=rng.choice(self.hours))
            while await app.escalate_due():
                pass
            return
        case_id = rng.choice(ours)
        case = await app.handle(GetCase(ADMIN, case_id))
        owner, handler = case["owner_cadre_id"], case["handler_cadre_id"]
        command = self.natural_next(rng, actor_of(handler or owner), case_id).get(case["status"]) \
            if rng.random() < self.natural_share \
            else DelegateCase(actor_of(owner), case_id, village_cadre(case["village_code"], "m1"))
        if command is None:
            return
        with contextlib.suppress(DomainError, ServiceError):  # refused here and now: the walk goes on
            await app.handle(command)
