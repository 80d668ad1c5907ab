"""Intake: raw input events → stored, routed cases, links to the cases they repeat, or
readable refusals (dead letters). The rules all live in `models`; this module decodes,
asks and stores — a whole batch in one transaction, each event decided on its own."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import orjson
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infra.db import dead_letters
from infra.intake_batch import BatchIntake, Decision
from infra.logs import log_context
from infra.metrics import BATCH_SECONDS, BATCH_SIZE, EVENTS, INTAKE_LATENCY
from infra.roster_cache import RosterCache
from infra.transient import is_transient
from models.early_warning import WarningPolicy
from models.intake import INPUT_TOPICS, InputEvent

log = logging.getLogger(__name__)


class Rejected(Exception):
    """The event can never become a case as it stands: it goes to the dead-letter topic."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IntakeItem:
    """One raw record, and where it came from (for the dead-letter record)."""
    topic: str  # without the deployment's prefix
    raw: bytes
    partition: int = -1
    offset: int = -1
    key: bytes | None = None
    source_topic: str | None = None  # the topic as the broker named it, prefix included
    timestamp: float | None = None  # the broker's record time, seconds since the epoch (for latency)


@dataclass(frozen=True)
class Outcome:
    item: IntakeItem
    decision: Decision

    @property
    def rejected(self) -> bool:
        return self.decision.kind == "rejected"


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
    def __init__(self, engine: AsyncEngine, rosters: RosterCache, clock: Callable[[], datetime],
                 warnings: WarningPolicy = WarningPolicy()) -> None:
        self._engine = engine
        self._rosters = rosters
        self._clock = clock
        self._warnings = warnings

    async def ingest(self, items: Sequence[IntakeItem]) -> list[Outcome]:
        """Take a batch in. Database and broker trouble raises (the caller retries the whole
        batch); anything else unexpected is isolated to the event that causes it."""
        if not items:
            return []
        started = time.perf_counter()
        outcomes = await self._ingest(items)
        _count(items[0].topic, outcomes, time.perf_counter() - started, self._clock().timestamp())
        return outcomes

    async def _ingest(self, items: Sequence[IntakeItem]) -> list[Outcome]:
        try:
            return await self._in_one_transaction(items)
        except Exception as error:
            if is_transient(error):
                raise
            if len(items) == 1:
                with log_context(event_id=_event_id(items[0])):
                    log.exception("unexpected failure taking in %s", items[0].topic)
                return await self._dead_letter_alone(items[0], f"internal error: {type(error).__name__}: {error}")
            return [outcome for item in items for outcome in await self._ingest([item])]

    async def _in_one_transaction(self, items: Sequence[IntakeItem]) -> list[Outcome]:
        roster = await self._rosters.current()
        now = self._clock()
        decisions: dict[int, Decision] = {}
        valid: list[tuple[int, str, InputEvent]] = []
        for index, item in enumerate(items):
            try:
                valid.append((index, item.topic, parse_event(item.topic, item.raw)))
            except Rejected as refusal:
                decisions[index] = Decision("rejected", None, refusal.reason)
        async with self._engine.begin() as conn:
            if valid:
                batch = BatchIntake(conn, roster, now, self._warnings)
                for (index, _, _), decision in zip(valid, await batch.run([(t, e) for _, t, e in valid])):
                    decisions[index] = decision
            outcomes = [Outcome(item, decisions[index]) for index, item in enumerate(items)]
            await _record_dead_letters(conn, [o for o in outcomes if o.rejected], now)
        return outcomes

    async def _dead_letter_alone(self, item: IntakeItem, reason: str) -> list[Outcome]:
        outcome = Outcome(item, Decision("rejected", None, reason))
        async with self._engine.begin() as conn:
            await _record_dead_letters(conn, [outcome], self._clock())
        return [outcome]


def _event_id(item: IntakeItem) -> str:
    """The record key, which producers set to the event id (CONTRACT), for the log line."""
    return item.key.decode(errors="replace")[:64] if item.key else f"{item.topic}@{item.partition}:{item.offset}"


def _count(topic: str, outcomes: Sequence[Outcome], seconds: float, now: float) -> None:
    BATCH_SIZE.labels(topic).observe(len(outcomes))
    BATCH_SECONDS.labels(topic).observe(seconds)
    kinds: dict[str, int] = {}
    for outcome in outcomes:
        kinds[outcome.decision.kind] = kinds.get(outcome.decision.kind, 0) + 1
        if outcome.item.timestamp is not None:
            INTAKE_LATENCY.labels(topic).observe(max(0.0, now - outcome.item.timestamp))
    for kind, n in kinds.items():
        EVENTS.labels(topic, kind).inc(n)


async def _record_dead_letters(conn: AsyncConnection, rejected: Sequence[Outcome], at: datetime) -> None:
    for outcome in rejected:
        item = outcome.item
        await dead_letters.record(conn, topic=item.source_topic or item.topic, partition=item.partition,
                                  offset=item.offset, key=item.key, value=item.raw,
                                  error=outcome.decision.reason or "refused", at=at)
