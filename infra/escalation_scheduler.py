"""The escalation scheduler: cases whose `next_check_at` has come are claimed with
`FOR UPDATE SKIP LOCKED` (so any number of workers can run it without escalating a case
twice), judged by the domain's escalation rules, and stored with their new events."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.case_store import load_cases, save_locked_cases
from infra.db.tables import cases
from infra.metrics import ESCALATIONS, WARNINGS
from infra.roster_cache import RosterCache
from models.case import Case
from models.clock import current_stage
from models.errors import DomainError
from models.escalation import escalation_for
from models.oversight import Escalate, Warn
from models.roster import Roster

log = logging.getLogger(__name__)
ACTOR = "system:escalation"


class EscalationScheduler:
    def __init__(self, engine: AsyncEngine, rosters: RosterCache, clock: Callable[[], datetime],
                 batch_size: int = 500) -> None:
        self._engine = engine
        self._rosters = rosters
        self._clock = clock
        self.batch_size = batch_size

    async def run_once(self) -> int:
        """Handle one batch of cases that are owed attention; returns how many were claimed."""
        roster = await self._rosters.current()
        now = self._clock()
        async with self._engine.begin() as conn:
            claimed = (await conn.execute(
                select(cases.c.case_id).where(cases.c.next_check_at <= now)
                .order_by(cases.c.next_check_at).limit(self.batch_size)
                .with_for_update(skip_locked=True))).scalars().all()
            if not claimed:
                return 0
            loaded = await load_cases(conn, claimed)  # already locked: claimed FOR UPDATE above
            changes = [(case, judged(case, roster, now)) for case in loaded.values()]
            await save_locked_cases(conn, changes, checked_at=now)
        _count(changes)
        return len(claimed)


def _count(changes: list[tuple[Case, Case]]) -> None:
    """After the commit: what the scheduler did, for the metrics."""
    for before, after in changes:
        if after.escalation_level > before.escalation_level:
            ESCALATIONS.labels(str(after.escalation_level)).inc()
        for stage in sorted(set(after.warned_stages) - set(before.warned_stages)):
            WARNINGS.labels(stage).inc()


def judged(case: Case, roster: Roster, now: datetime) -> Case:
    """The case after whatever the escalation rules owe it at `now` (maybe nothing)."""
    step = escalation_for(case, roster, now)
    try:
        if step.escalated and step.recipient_cadre_id:
            return case.apply(Escalate(step.level, step.recipient_cadre_id, "; ".join(step.explanation) or "overdue",
                                       actor=ACTOR), now, roster)
        stage = current_stage(case)
        if step.warning_due and stage is not None:
            return case.apply(Warn(stage, actor=ACTOR), now, roster)
    except DomainError as refusal:  # recorded and skipped: the next look comes at the next threshold
        log.warning("escalation of case %s refused: %s", case.case_id, refusal)
    return case
