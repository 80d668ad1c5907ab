"""Escalation: cases owed attention are claimed (any number of schedulers never take the same
case twice), judged by the domain's escalation rules, and stored with their events in one
transaction per batch."""
from __future__ import annotations

import logging
from datetime import datetime

from infra.metrics import ESCALATIONS, WARNINGS
from infra.services.ports import UnitOfWork
from models.case import Case
from models.clock import current_stage
from models.errors import DomainError
from models.escalation import DEFAULT_ESCALATION, EscalationPolicy, Memo, escalation_for
from models.oversight import Escalate, Warn
from models.roster import Roster

log = logging.getLogger(__name__)
ACTOR = "system:escalation"


async def escalate_due(uow: UnitOfWork, batch_size: int = 500) -> int:
    """Handle one batch of cases owed attention; returns how many were claimed."""
    claimed = await uow.cases.claim_due(uow.now, batch_size)
    if not claimed:
        return 0
    # Judged on the calendar the next looks are timed on (an imported one included): judged on
    # another, a look could find nothing owed and skip past the level it came for.
    roster, policy = uow.roster, uow.escalation
    memo = Memo(policy, roster)  # this batch's: one roster, one policy
    changes = [(case, judged(case, roster, uow.now, policy, memo)) for case in claimed]
    await uow.cases.save_many(changes, checked_at=uow.now, memo=memo, scheduled=True)
    await uow.commit()
    _count(changes)
    return len(claimed)


def _count(changes: list[tuple[Case, Case]]) -> None:
    """After the commit: what the scheduler did, for the metrics."""
    for before, after in changes:
        if after.escalation_level > before.escalation_level:
            ESCALATIONS.labels(str(after.escalation_level)).inc()
        for stage in sorted(set(after.warned_stages) - set(before.warned_stages)):
            WARNINGS.labels(stage).inc()


def judged(case: Case, roster: Roster, now: datetime, policy: EscalationPolicy = DEFAULT_ESCALATION,
           memo: Memo | None = None) -> Case:
    """The case after whatever the escalation rules owe it at `now` (maybe nothing). A
    recipient who is away is covered by their backup, the recipient staying of record."""
    step = escalation_for(case, roster, now, policy, memo)
    try:
        if step.escalated and step.recipient_cadre_id:
            return case.apply(Escalate(step.level, step.recipient_cadre_id, "; ".join(step.explanation) or "overdue",
                                       actor=ACTOR, acting_cadre_id=step.acting_cadre_id), now, roster)
        stage = current_stage(case)
        if step.warning_due and stage is not None:
            return case.apply(Warn(stage, actor=ACTOR), now, roster)
    except DomainError as refusal:  # recorded and skipped: the next look comes at the next threshold
        log.warning("escalation of case %s refused: %s", case.case_id, refusal)
    return case
