"""Intake: one raw input event → one stored, routed case (or a readable refusal).

The stream agents call `IntakeService.ingest`; the rules it applies all live in
`models` (routing, deadlines); this module only decodes, asks, and stores.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import orjson
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.case_opening import opened_case
from infra.db import case_repo
from infra.roster_cache import RosterCache
from models.errors import DomainError
from models.intake import INPUT_TOPICS, InputEvent


class Rejected(Exception):
    """The event can never become a case as it stands: it goes to the dead-letter topic."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Ingested:
    case_id: str
    created: bool  # False: the same source event was already a case (a redelivery)


def parse_event(topic: str, raw: bytes) -> InputEvent:
    """Decode and validate against the published schema, or say exactly what is wrong."""
    if topic not in INPUT_TOPICS:
        raise Rejected(f"unknown input topic {topic!r}")
    _, model = INPUT_TOPICS[topic]
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise Rejected(f"not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise Rejected(f"expected a JSON object, got {type(document).__name__}")
    try:
        return model.model_validate(document)  # type: ignore[return-value]
    except ValidationError as error:
        raise Rejected(describe_validation_error(error)) from None


def describe_validation_error(error: ValidationError) -> str:
    parts = []
    for problem in error.errors(include_url=False):
        where = ".".join(str(step) for step in problem["loc"]) or "event"
        parts.append(f"{where}: {problem['msg']}")
    return "invalid event: " + "; ".join(parts)


class IntakeService:
    def __init__(self, engine: AsyncEngine, rosters: RosterCache, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._rosters = rosters
        self._clock = clock

    async def ingest(self, topic: str, raw: bytes) -> Ingested:
        event = parse_event(topic, raw)
        roster = await self._rosters.current()
        now = self._clock()
        try:
            opening = opened_case(topic, event, roster, now)
        except DomainError as error:
            raise Rejected(str(error)) from None
        async with self._engine.begin() as conn:
            created = await case_repo.insert_case(conn, opening.row, opening.events)
        return Ingested(case_id=opening.row["case_id"], created=created)
