"""Intake: raw input events → stored, routed cases, links to the cases they repeat, or
readable refusals (dead letters). The rules all live in `models`; this module decodes,
asks and stores — a whole batch in one transaction, each event decided on its own."""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import orjson
from pydantic import ValidationError

from infra.log_redaction import log_failure, safe_message
from infra.services.intake_batch import BatchIntake, Decision
from infra.services.ports import UnitOfWork
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
    timestamp: float | None = None  # the broker's record time, seconds since the epoch (intake latency)


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


UnitsOfWork = Callable[[], UnitOfWork]


async def take_in_batch(items: Sequence[IntakeItem], uow: UnitOfWork,
                        warnings: WarningPolicy = WarningPolicy()) -> list[Outcome]:
    """The use case: a batch in one transaction, each event decided on its own (opened,
    linked to the case it repeats, a duplicate, or refused — refusals stored as dead letters)."""
    decisions: dict[int, Decision] = {}
    valid: list[tuple[int, str, InputEvent]] = []
    for index, item in enumerate(items):
        try:
            valid.append((index, item.topic, parse_event(item.topic, item.raw)))
        except Rejected as refusal:
            decisions[index] = Decision("rejected", None, refusal.reason)
    if valid:
        batch = BatchIntake(uow, uow.roster, uow.now, warnings)
        for (index, _, _), decision in zip(valid, await batch.run([(t, e) for _, t, e in valid])):
            decisions[index] = decision
    outcomes = [Outcome(item, decisions[index]) for index, item in enumerate(items)]
    await _record_dead_letters(uow, [o for o in outcomes if o.rejected])
    await uow.commit()
    return outcomes


async def ingest(items: Sequence[IntakeItem], uows: UnitsOfWork,
                 warnings: WarningPolicy = WarningPolicy()) -> list[Outcome]:
    """Take a batch in. Database and broker trouble raises (the caller retries the whole
    batch); anything else unexpected is isolated to the event that causes it."""
    try:
        async with uows() as uow:
            return await take_in_batch(items, uow, warnings)
    except Exception as error:
        if is_transient(error):
            raise
        if len(items) == 1:
            # The message of a database error can quote the event's values: a dead letter
            # and a log line keep it with every quoted value blanked.
            log_failure(log, "unexpected failure taking in %s", items[0].topic, error=error)
            return await _dead_letter_alone(items[0], f"internal error: {safe_message(error)}", uows)
        return [outcome for item in items for outcome in await ingest([item], uows, warnings)]


async def _dead_letter_alone(item: IntakeItem, reason: str, uows: UnitsOfWork) -> list[Outcome]:
    outcome = Outcome(item, Decision("rejected", None, reason))
    async with uows() as uow:
        await _record_dead_letters(uow, [outcome])
        await uow.commit()
    return [outcome]


async def _record_dead_letters(uow: UnitOfWork, rejected: Sequence[Outcome]) -> None:
    for outcome in rejected:
        item = outcome.item
        await uow.dead_letters.record(topic=item.source_topic or item.topic, partition=item.partition,
                                      offset=item.offset, key=item.key, value=item.raw,
                                      error=outcome.decision.reason or "refused", at=uow.now)
