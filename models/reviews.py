"""Review (复查, Art. 35) and re-review (复核, Art. 36): a request within 30 days of the
written reply (or of the review decision), decided within 30 days by the level above — review
above the owner, re-review above the reviewer (`decisions.reviewer_refusal`). After re-review
the same matter on the same facts is not accepted again (see `repeats`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from models.case import Case, Context, Effect
from models.case_actions import with_deadline
from models.deadlines import (
    RE_REVIEW_DECISION,
    REVIEW_DECISION,
    Basis,
    Limit,
    due_after,
)
from models.decisions import refuse, reviewer_refusal
from models.guards import require, text


@dataclass(frozen=True)
class RequestReview:
    reason: str
    actor: str | None = None
    name: ClassVar[str] = "request_review"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        _within(case, case.replied_at, at, "review", ctx.policy.review_request, ctx)
        changes = with_deadline(case, REVIEW_DECISION, Basis.of(at, ctx.policy.review_decision), ctx)
        due = changes["deadlines"][REVIEW_DECISION]
        return Effect("review_requested", changes,
                      {"reason": text(self.reason, "the reason for review"), "due": due.isoformat()})


@dataclass(frozen=True)
class DecideReview:
    decision: str
    actor: str | None = None
    name: ClassVar[str] = "decide_review"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        if self.actor is not None:
            refuse(reviewer_refusal(case, ctx.roster, self.actor, re_review=False))
        return Effect("reviewed", {"review_decided_at": at, "review_decided_by": self.actor},
                      {"decision": text(self.decision, "the review decision")})


@dataclass(frozen=True)
class RequestReReview:
    reason: str
    actor: str | None = None
    name: ClassVar[str] = "request_re_review"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        _within(case, case.review_decided_at, at, "re-review", ctx.policy.re_review_request, ctx)
        changes = with_deadline(case, RE_REVIEW_DECISION, Basis.of(at, ctx.policy.re_review_decision), ctx)
        due = changes["deadlines"][RE_REVIEW_DECISION]
        return Effect("re_review_requested", changes,
                      {"reason": text(self.reason, "the reason for re-review"), "due": due.isoformat()})


@dataclass(frozen=True)
class DecideReReview:
    decision: str
    actor: str | None = None
    name: ClassVar[str] = "decide_re_review"

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect:
        if self.actor is not None:
            refuse(reviewer_refusal(case, ctx.roster, self.actor, re_review=True))
        return Effect("re_reviewed", {"re_review_decided_at": at, "re_review_decided_by": self.actor},
                      {"decision": text(self.decision, "the re-review decision"), "final": True})


def _within(case: Case, since: datetime | None, at: datetime, what: str, limit: Limit, ctx: Context) -> None:
    require(since is not None, "review.nothing_to_review", case_id=case.case_id, what=what)
    last_day = due_after(since, limit, ctx.policy)  # type: ignore[arg-type]
    require(at <= last_day, "review.request_too_late", case_id=case.case_id, what=what, until=last_day.isoformat())
