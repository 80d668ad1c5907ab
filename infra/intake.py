"""Intake: one raw input event → one stored, routed case, a link to the case it repeats,
or a readable refusal. The rules (routing, deadlines, repeats, early warning) all live in
`models`; this module decodes, asks, and stores — each event in one transaction."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import orjson
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infra.case_opening import identity_of, opened_case, petitioner_of
from infra.case_store import load_cases, save_case
from infra.db import case_repo, matter_repo
from infra.roster_cache import RosterCache
from models.case import record
from models.early_warning import Sighting, WarningPolicy, check_cluster, check_group_visit
from models.errors import DomainError
from models.intake import INPUT_TOPICS, InputEvent, ReceptionVisit
from models.repeats import LINKED, check_repeat
from models.roster import Roster


class Rejected(Exception):
    """The event can never become a case as it stands: it goes to the dead-letter topic."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Ingested:
    case_id: str
    outcome: str  # opened | linked | duplicate


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

    async def ingest(self, topic: str, raw: bytes) -> Ingested:
        event = parse_event(topic, raw)
        roster = await self._rosters.current()
        now = self._clock()
        try:
            async with self._engine.begin() as conn:
                return await self._ingest(conn, topic, event, roster, now)
        except DomainError as error:
            raise Rejected(str(error)) from None

    async def _ingest(self, conn: AsyncConnection, topic: str, event: InputEvent, roster: Roster,
                      now: datetime) -> Ingested:
        seen = await matter_repo.seen_case_id(conn, topic, event.event_id)
        if seen is not None:
            return Ingested(seen, "duplicate")
        await matter_repo.lock_matter(conn, event.village_code, event.category)
        who = identity_of(petitioner_of(event))
        prior = await matter_repo.prior_cases(conn, who, event.village_code, event.category)
        verdict = check_repeat(who, event.village_code, event.category, event.occurred_at, prior)
        verdict.raise_if_not_accepted()
        if verdict.outcome == LINKED and verdict.case_id is not None:
            await self._link(conn, topic, event, verdict.case_id, verdict.reason, now)
            return Ingested(verdict.case_id, "linked")
        opening = opened_case(topic, event, roster, now)
        if not await case_repo.insert_case(conn, opening.row, opening.events):
            return Ingested(opening.row["case_id"], "duplicate")
        await self._watch_for_clusters(conn, event, opening.row, roster, now)
        return Ingested(opening.row["case_id"], "opened")

    async def _link(self, conn: AsyncConnection, topic: str, event: InputEvent, case_id: str, reason: str,
                    now: datetime) -> None:
        await matter_repo.link_repeat(conn, topic, event.event_id, case_id, event.model_dump(mode="json"), now)
        before = (await load_cases(conn, [case_id], lock=True))[case_id]
        after = record(before, "repeat_linked", now, None, source_topic=topic,
                       repeat_event_id=event.event_id, reason=reason)
        await save_case(conn, before, after)

    async def _watch_for_clusters(self, conn: AsyncConnection, event: InputEvent, row: dict[str, object],
                                  roster: Roster, now: datetime) -> None:
        case_id = str(row["case_id"])
        key = matter_repo.sighting_key(row["petitioner_phone"], row["petitioner_id_number"], case_id)  # type: ignore[arg-type]
        new = Sighting(key, event.village_code, event.category, event.occurred_at, case_id)
        history = await matter_repo.recent_sightings(conn, event.village_code, event.category,
                                                     event.occurred_at, self._warnings.window)
        warning = check_cluster(new, history, roster, self._warnings)
        if warning is None and isinstance(event, ReceptionVisit):
            warning = check_group_visit(event.village_code, event.category, event.visitor_count,
                                        event.occurred_at, event.event_id, roster, self._warnings)
        if warning is not None:
            await matter_repo.raise_alert(conn, warning, now)
