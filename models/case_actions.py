"""Actions on the main path: assign → accept (or decline) → progress → reply → callback → close.

Each action checks its own conditions and says what changes; `case.apply` does the rest.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, ClassVar

from models.case import Case, Context, Effect
from models.chain import Recusal, Skip, owner_base_level
from models.conflict import DECIDE, NO_CONFLICT
from models.deadlines import (
    ACCEPTANCE,
    CALLBACK,
    CONCLUSION,
    Basis,
    due_after,
    objection_due,
)
from models.decisions import callback_refusal, refuse
from models.guards import known_cadre, not_recused, require, text
from models.reasons import Reason
from models.routing import RoutingDecision


@dataclass(frozen=True)
class Assign:
    owner_cadre_id: str
    handler_cadre_id: str
    escalation_level: int = 0
    rule: str = "manual"
    explanation: tuple[str, ...] = ()
    recusal: Recusal = NO_CONFLICT
    actor: str | None = None
    skipped: tuple[tuple[str, str], ...] = ()
    steps: tuple[Reason, ...] = ()
    skips: tuple[Skip, ...] = ()
    name: ClassVar[str] = "assign"

    @classmethod
    def from_decision(cls, decision: RoutingDecision, recusal: Recusal | None = None,
                      actor: str | None = None) -> Assign:
        return cls(decision.owner_cadre_id, decision.handler_cadre_id, decision.escalation_level,
                   decision.rule, decision.explanation, decision.recusal if recusal is None else recusal, actor,
                   decision.skipped, decision.steps, decision.skips)

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        probe = replace(case, recusal=self.recusal)
        not_recused(probe, self.owner_cadre_id, "own", ctx)
        not_recused(probe, self.handler_cadre_id, "handle", ctx)
        known_cadre(ctx, self.owner_cadre_id)
        known_cadre(ctx, self.handler_cadre_id)
        skipped = ([s.to_dict() for s in self.skips] if self.skips
                   else [{"cadre_id": c, "reason": r} for c, r in self.skipped])
        return Effect("assigned", {
            "owner_cadre_id": self.owner_cadre_id, "handler_cadre_id": self.handler_cadre_id,
            "owner_level": owner_level(ctx, case, self.owner_cadre_id, self.escalation_level),
            "escalation_level": max(case.escalation_level, self.escalation_level),
            "recusal": self.recusal, "assigned_at": at, "objection_until": objection_due(at, ctx.policy)},
            {"owner_cadre_id": self.owner_cadre_id, "handler_cadre_id": self.handler_cadre_id,
             "escalation_level": self.escalation_level, "rule": self.rule, "explanation": list(self.explanation),
             "steps": [s.to_dict() for s in self.steps], "skipped": skipped,
             "conflict": [r.to_dict() for r in self.recusal.explain()]})


def owner_level(ctx: Context, case: Case, owner_cadre_id: str, routed_level: int) -> int:
    """Where escalation of this owner's case starts: never below the owner's own chain level."""
    if ctx.roster is None:
        return routed_level
    return max(routed_level, owner_base_level(ctx.roster, case.village_code, owner_cadre_id))


def with_deadline(case: Case, stage: str, basis: Basis, ctx: Context) -> dict[str, Any]:
    """The changes that (re)start `stage` from `basis`: its due time and its stored basis."""
    due = due_after(basis.start, basis.limit, ctx.policy)  # type: ignore[arg-type]
    return {"deadlines": {**case.deadlines, stage: due}, "deadline_basis": {**case.deadline_basis, stage: basis}}


@dataclass(frozen=True)
class ResolveOnSpot:
    """A diary entry resolved on the spot: a case owned and resolved by its author (rule 5)."""
    author_cadre_id: str
    resolution: str
    name: ClassVar[str] = "resolve_on_spot"

    @property
    def actor(self) -> str:
        return self.author_cadre_id

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        require(case.source == "diary", "case.not_a_diary_entry", source=case.source)
        resolution = text(self.resolution, "the on-the-spot resolution")
        known_cadre(ctx, self.author_cadre_id)
        return Effect("resolved", {
            "owner_cadre_id": self.author_cadre_id, "handler_cadre_id": self.author_cadre_id,
            "assigned_at": at, "accepted_at": at, "reply": resolution, "replied_at": at,
            "callback_result": "on_spot", "problem_solved": True,
            "callback_note": "resolved face to face with the household by the diary author"},
            {"resolution": resolution, "on_spot": True})


@dataclass(frozen=True)
class Accept:
    actor: str | None = None
    name: ClassVar[str] = "accept"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        changes: dict[str, object] = {"accepted_at": at}
        if CONCLUSION in case.deadlines:  # Art. 34: 60 days run from the actual acceptance
            changes.update(with_deadline(case, CONCLUSION, Basis.of(at, ctx.policy.conclusion), ctx))
        return Effect("accepted", changes)


@dataclass(frozen=True)
class Decline:
    """不予受理 (Art. 23): the matter is not accepted, with the reason and a written notice to
    the petitioner. Decided within 15 days of the petition; a later decision is recorded as late."""
    reason: str
    notice: str  # the written notice given to the petitioner (its text or reference)
    actor: str | None = None
    name: ClassVar[str] = "decline"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        if self.actor is not None:
            not_recused(case, self.actor, DECIDE, ctx)
        reason = text(self.reason, "the reason the matter is not accepted")
        notice = text(self.notice, "the written notice to the petitioner")
        limit = case.deadlines.get(ACCEPTANCE) or due_after(case.occurred_at, ctx.policy.acceptance, ctx.policy)
        return Effect("not_accepted", {"declined_at": at},
                      {"reason": reason, "notice": notice, "decision_due": limit.isoformat(), "late": at > limit})


@dataclass(frozen=True)
class Progress:
    note: str
    actor: str | None = None
    name: ClassVar[str] = "progress"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        return Effect("progress", data={"note": text(self.note, "a progress note")})


@dataclass(frozen=True)
class Reply:
    """The written reply; the callback (回访) falls due `policy.callback` after it."""
    text: str
    actor: str | None = None
    name: ClassVar[str] = "reply"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        reply = text(self.text, "the reply to the petitioner")
        changes = {"reply": reply, "replied_at": at, "warned_stages": case.warned_stages - {CALLBACK},
                   **with_deadline(case, CALLBACK, Basis.of(at, ctx.policy.callback), ctx)}
        return Effect("replied", changes, {"reply": reply, "callback_due": changes["deadlines"][CALLBACK].isoformat()})


def _callback_recorder(case: Case, actor: str | None) -> None:
    refuse(callback_refusal(case, actor))


@dataclass(frozen=True)
class CallbackSatisfied:
    note: str = ""
    problem_solved: bool = True  # asked separately: satisfied with the answer ≠ problem solved
    actor: str | None = None
    name: ClassVar[str] = "callback_satisfied"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        _callback_recorder(case, self.actor)
        return Effect("resolved", {"callback_result": "satisfied", "callback_note": self.note,
                                   "problem_solved": self.problem_solved},
                      {"callback": "satisfied", "problem_solved": self.problem_solved, "note": self.note})


@dataclass(frozen=True)
class CallbackUnsatisfied:
    """Back to the handler; the count of unsatisfied callbacks is kept, the clock keeps running."""
    note: str = ""
    problem_solved: bool = False
    actor: str | None = None
    name: ClassVar[str] = "callback_unsatisfied"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        _callback_recorder(case, self.actor)
        count = case.unsatisfied_count + 1
        return Effect("reopened", {"callback_result": "unsatisfied", "callback_note": self.note,
                                   "problem_solved": self.problem_solved, "unsatisfied_count": count},
                      {"callback": "unsatisfied", "problem_solved": self.problem_solved,
                       "unsatisfied_count": count, "note": self.note,
                       "handler_cadre_id": case.handler_cadre_id})


@dataclass(frozen=True)
class CallbackImpossible:
    reason: str
    actor: str | None = None
    name: ClassVar[str] = "callback_impossible"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        _callback_recorder(case, self.actor)
        reason = text(self.reason, "the reason no callback was possible")
        return Effect("resolved", {"callback_result": "impossible", "callback_note": reason},
                      {"callback": "impossible", "reason": reason})


@dataclass(frozen=True)
class Close:
    actor: str | None = None
    name: ClassVar[str] = "close"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        require(case.reply is not None, "case.close_without_reply", case_id=case.case_id)
        require(case.callback_result in ("satisfied", "impossible", "on_spot"),
                "case.close_without_callback", case_id=case.case_id)
        return Effect("closed", {"closed_at": at})
