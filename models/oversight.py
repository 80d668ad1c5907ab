"""Actions that supervise a case: extension, pause, objection and transfer, delegation,
escalation and the 75% warning."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from models.case import Case, Context, Effect
from models.case_actions import owner_level
from models.chain import TOP_LEVEL
from models.clock import DUTY_STAGES, current_stage
from models.guards import known_cadre, leader, not_recused, require, text


@dataclass(frozen=True)
class Extend:
    """Art. 34: one extension of at most 30 days, with a leader's approval."""
    days: int
    reason: str
    actor: str  # the approving leader
    name: ClassVar[str] = "extend"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        leader(ctx, self.actor, "an extension")
        not_recused(case, self.actor, "approve an extension for")
        limit = ctx.policy.max_extension_days
        require(1 <= self.days <= limit, f"an extension is 1 to {limit} days, not {self.days}")
        require(case.extensions < ctx.policy.max_extensions,
                f"case {case.case_id} was already extended {case.extensions} time(s); the limit is "
                f"{ctx.policy.max_extensions}")
        stage = current_stage(case)
        require(stage in DUTY_STAGES, f"case {case.case_id} has no handling deadline to extend")
        due = case.deadlines[stage] + timedelta(days=self.days)  # type: ignore[index]
        return Effect("extended", {"deadlines": {**case.deadlines, stage: due}, "extensions": case.extensions + 1},
                      {"days": self.days, "stage": stage, "due": due.isoformat(), "reason": text(self.reason, "the reason")})


@dataclass(frozen=True)
class Pause:
    reason: str
    actor: str  # the approving leader
    name: ClassVar[str] = "pause"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        leader(ctx, self.actor, "a pause")
        return Effect("paused", {"paused_at": at}, {"reason": text(self.reason, "the reason for the pause")})


@dataclass(frozen=True)
class Resume:
    """Moves every handling deadline by the time spent paused."""
    actor: str | None = None
    name: ClassVar[str] = "resume"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        paused = max(at - (case.paused_at or at), timedelta(0))
        moved = {s: d + paused if s in DUTY_STAGES else d for s, d in case.deadlines.items()}
        return Effect("resumed", {"deadlines": moved, "paused_at": None}, {"paused_seconds": paused.total_seconds()})


@dataclass(frozen=True)
class Object:
    """Art. 23: a misrouted case must be objected to within 5 working days; the clock keeps running."""
    reason: str
    actor: str | None = None
    name: ClassVar[str] = "object"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        until = case.objection_until
        require(until is None or at <= until,
                f"the objection window of case {case.case_id} closed at {until.isoformat() if until else ''}")
        return Effect("objected", data={"reason": text(self.reason, "the reason for the objection")})


@dataclass(frozen=True)
class Transfer:
    owner_cadre_id: str
    handler_cadre_id: str
    reason: str
    actor: str | None = None
    name: ClassVar[str] = "transfer"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        for cadre, role in ((self.owner_cadre_id, "own"), (self.handler_cadre_id, "handle")):
            not_recused(case, cadre, role)
            known_cadre(ctx, cadre)
        level = owner_level(ctx, case, self.owner_cadre_id, 0)
        return Effect("transferred", {"owner_cadre_id": self.owner_cadre_id, "handler_cadre_id": self.handler_cadre_id,
                                      "owner_level": max(case.owner_level, level), "assigned_at": at},
                      {"from": case.owner_cadre_id, "owner_cadre_id": self.owner_cadre_id,
                       "handler_cadre_id": self.handler_cadre_id, "reason": text(self.reason, "the reason")})


@dataclass(frozen=True)
class Overrule:
    reason: str
    actor: str | None = None
    name: ClassVar[str] = "overrule"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        return Effect("objection_overruled", data={"reason": text(self.reason, "the reason")})


@dataclass(frozen=True)
class Delegate:
    """The owner keeps the case (包案); someone else does the work."""
    handler_cadre_id: str
    actor: str | None = None
    name: ClassVar[str] = "delegate"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        not_recused(case, self.handler_cadre_id, "handle")
        known_cadre(ctx, self.handler_cadre_id)
        return Effect("delegated", {"handler_cadre_id": self.handler_cadre_id},
                      {"from": case.handler_cadre_id, "handler_cadre_id": self.handler_cadre_id})


@dataclass(frozen=True)
class Escalate:
    level: int
    recipient_cadre_id: str
    reason: str = "overdue"
    actor: str | None = None
    name: ClassVar[str] = "escalate"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        require(case.escalation_level < self.level <= TOP_LEVEL,
                f"case {case.case_id} is at escalation level {case.escalation_level}; "
                f"it can only climb, to at most {TOP_LEVEL}, not to {self.level}")
        not_recused(case, self.recipient_cadre_id, "receive")
        return Effect("escalated", {"escalation_level": self.level, "escalated_to_cadre_id": self.recipient_cadre_id},
                      {"level": self.level, "recipient_cadre_id": self.recipient_cadre_id, "reason": self.reason})


@dataclass(frozen=True)
class Warn:
    stage: str
    actor: str | None = None
    name: ClassVar[str] = "warn"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        require(self.stage in case.deadlines, f"case {case.case_id} has no {self.stage} deadline to warn about")
        require(self.stage not in case.warned_stages, f"stage {self.stage} of case {case.case_id} was already warned")
        return Effect("warned", {"warned_stages": case.warned_stages | {self.stage}},
                      {"stage": self.stage, "due": case.deadlines[self.stage].isoformat()})
