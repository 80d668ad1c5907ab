"""Actions that supervise a case: extension, pause, objection and transfer, delegation,
escalation and the 75% warning.

Decisions on someone's request (extension, pause, resumption, the objection's transfer or
overrule) go through `models.decisions`: a township leader above every requester, not a
requester, not excluded. Without a named requester the case's owner and handler count as
requesters. An action given no actor (a system step, older callers) skips the decider rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from models.case import Case, Context, Effect
from models.case_actions import owner_level
from models.chain import TOP_LEVEL
from models.clock import DUTY_STAGES, current_stage
from models.conflict import HANDLE, OWN, RECEIVE
from models.deadlines import as_basis
from models.decisions import decider_refusal, refuse, requesters_of
from models.guards import known_cadre, leader, not_recused, require, text


def _decider(case: Case, ctx: Context, actor: str | None, requested_by: str | None, what: str) -> None:
    refuse(decider_refusal(case, ctx.roster, actor, requesters_of(case, requested_by), what))


def _objector(case: Case) -> str | None:
    """Who raised the pending objection (the owner, when the history is not loaded)."""
    raised = [e.actor for e in case.events if e.type == "objected"]
    return (raised[-1] if raised else None) or case.owner_cadre_id


def _shifted(case: Case, stages: tuple[str, ...], *, days: int = 0, seconds: float = 0.0) -> dict[str, Any]:
    """Deadlines and their bases moved by an extension (days) or a pause (seconds)."""
    move = timedelta(days=days, seconds=seconds)
    deadlines = {s: d + move if s in stages else d for s, d in case.deadlines.items()}
    bases = {}
    for stage, raw in case.deadline_basis.items():
        basis = as_basis(raw)
        if stage in stages:
            basis = basis._replace(extra_days=basis.extra_days + days, paused_seconds=basis.paused_seconds + seconds)
        bases[stage] = basis
    return {"deadlines": deadlines, "deadline_basis": bases}


@dataclass(frozen=True)
class Extend:
    """Art. 34: one extension of at most 30 days, approved by a leader above the requester."""
    days: int
    reason: str
    actor: str  # the approving leader
    requested_by: str | None = None
    name: ClassVar[str] = "extend"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        leader(ctx, self.actor, "an extension")
        not_recused(case, self.actor, "approve an extension for", ctx)
        _decider(case, ctx, self.actor, self.requested_by, "an extension")
        limit = ctx.policy.max_extension_days
        require(1 <= self.days <= limit, "extension.days_out_of_range", days=self.days, limit=limit)
        require(case.extensions < ctx.policy.max_extensions, "extension.limit_reached", case_id=case.case_id,
                extensions=case.extensions, limit=ctx.policy.max_extensions)
        stage = current_stage(case)
        require(stage in DUTY_STAGES, "extension.no_handling_deadline", case_id=case.case_id)
        changes = _shifted(case, (str(stage),), days=self.days)
        due = changes["deadlines"][stage]
        return Effect("extended", {**changes, "extensions": case.extensions + 1},
                      {"days": self.days, "stage": stage, "due": due.isoformat(),
                       "reason": text(self.reason, "the reason"), "requested_by": self.requested_by})


@dataclass(frozen=True)
class Pause:
    reason: str
    actor: str  # the approving leader
    requested_by: str | None = None
    name: ClassVar[str] = "pause"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        leader(ctx, self.actor, "a pause")
        _decider(case, ctx, self.actor, self.requested_by, "a pause")
        return Effect("paused", {"paused_at": at}, {"reason": text(self.reason, "the reason for the pause"),
                                                    "requested_by": self.requested_by})


@dataclass(frozen=True)
class Resume:
    """Moves every handling deadline by the time spent paused. Approved by a leader above the
    requester when an actor is given (a system resumption names none)."""
    actor: str | None = None
    requested_by: str | None = None
    name: ClassVar[str] = "resume"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        if self.actor is not None:
            _decider(case, ctx, self.actor, self.requested_by, "a resumption")
        paused = max(at - (case.paused_at or at), timedelta(0))
        changes = _shifted(case, DUTY_STAGES, seconds=paused.total_seconds())
        return Effect("resumed", {**changes, "paused_at": None}, {"paused_seconds": paused.total_seconds()})


@dataclass(frozen=True)
class Object:
    """Art. 23: a misrouted case must be objected to within 5 working days; the clock keeps running."""
    reason: str
    actor: str | None = None
    name: ClassVar[str] = "object"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        until = case.objection_until
        require(until is None or at <= until, "objection.window_closed", case_id=case.case_id,
                until=until.isoformat() if until else "")
        return Effect("objected", data={"reason": text(self.reason, "the reason for the objection")})


@dataclass(frozen=True)
class Transfer:
    owner_cadre_id: str
    handler_cadre_id: str
    reason: str
    actor: str | None = None  # the deciding leader
    name: ClassVar[str] = "transfer"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        for cadre, role in ((self.owner_cadre_id, OWN), (self.handler_cadre_id, HANDLE)):
            not_recused(case, cadre, role, ctx)
            known_cadre(ctx, cadre)
        if self.actor is not None:
            _decider(case, ctx, self.actor, _objector(case), "an objection")
        level = owner_level(ctx, case, self.owner_cadre_id, 0)
        return Effect("transferred", {"owner_cadre_id": self.owner_cadre_id, "handler_cadre_id": self.handler_cadre_id,
                                      "owner_level": max(case.owner_level, level), "assigned_at": at},
                      {"from": case.owner_cadre_id, "owner_cadre_id": self.owner_cadre_id,
                       "handler_cadre_id": self.handler_cadre_id, "reason": text(self.reason, "the reason")})


@dataclass(frozen=True)
class Overrule:
    reason: str
    actor: str | None = None  # the deciding leader
    name: ClassVar[str] = "overrule"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        if self.actor is not None:
            _decider(case, ctx, self.actor, _objector(case), "an objection")
        return Effect("objection_overruled", data={"reason": text(self.reason, "the reason")})


@dataclass(frozen=True)
class Delegate:
    """The owner keeps the case (包案); someone else does the work."""
    handler_cadre_id: str
    actor: str | None = None
    name: ClassVar[str] = "delegate"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        not_recused(case, self.handler_cadre_id, HANDLE, ctx)
        known_cadre(ctx, self.handler_cadre_id)
        return Effect("delegated", {"handler_cadre_id": self.handler_cadre_id},
                      {"from": case.handler_cadre_id, "handler_cadre_id": self.handler_cadre_id})


@dataclass(frozen=True)
class Escalate:
    """Up the chain. `acting_cadre_id`: the recipient's backup while the recipient is away
    (the recipient stays the one of record, as for new cases)."""
    level: int
    recipient_cadre_id: str
    reason: str = "overdue"
    actor: str | None = None
    acting_cadre_id: str | None = None
    name: ClassVar[str] = "escalate"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        require(case.escalation_level < self.level <= TOP_LEVEL, "escalation.must_climb", case_id=case.case_id,
                current=case.escalation_level, top=TOP_LEVEL, level=self.level)
        not_recused(case, self.recipient_cadre_id, RECEIVE, ctx)
        acting = self.acting_cadre_id if self.acting_cadre_id != self.recipient_cadre_id else None
        if acting is not None:
            not_recused(case, acting, RECEIVE, ctx)
            known_cadre(ctx, acting)
        return Effect("escalated", {"escalation_level": self.level, "escalated_to_cadre_id": self.recipient_cadre_id,
                                    "escalation_acting_cadre_id": acting},
                      {"level": self.level, "recipient_cadre_id": self.recipient_cadre_id, "reason": self.reason,
                       "acting_cadre_id": acting})


@dataclass(frozen=True)
class Warn:
    stage: str
    actor: str | None = None
    name: ClassVar[str] = "warn"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        require(self.stage in case.deadlines, "warning.no_deadline", case_id=case.case_id, stage=self.stage)
        require(self.stage not in case.warned_stages, "warning.already_warned", case_id=case.case_id, stage=self.stage)
        return Effect("warned", {"warned_stages": case.warned_stages | {self.stage}},
                      {"stage": self.stage, "due": case.deadlines[self.stage].isoformat()})
