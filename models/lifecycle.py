"""The case lifecycle as one explicit table: (state, action) → next state.

    registered ─assign→ assigned ─accept→ accepted ─progress→ in_progress ─reply→ replied
    replied ─callback_satisfied / callback_impossible→ resolved ─close→ closed
    replied ─callback_unsatisfied→ in_progress (back to the handler, counted)
    assigned ─object→ objected ─transfer / overrule→ assigned   (Art. 23, 5 working days)
    accepted|in_progress ─pause→ paused ─resume→ in_progress      (approved pause moves the clock)
    closed ─request_review→ under_review ─decide_review→ reviewed          (复查, Art. 35)
    reviewed ─request_re_review→ under_re_review ─decide_re_review→ re_reviewed  (复核, final)
    registered ─resolve_on_spot→ resolved   (diary entry resolved by its author, CONTRACT rule 5)
    assigned|objected ─decline→ not_accepted   (不予受理, Art. 23: reason and written notice; final)
Self-loops: escalate, delegate, extend, warn, progress. A replied case's callback (回访) is
clocked too, so it can be warned about and escalated. Guards live with the actions.
"""
from __future__ import annotations

from enum import Enum

from models.errors import IllegalTransition


class CaseStatus(str, Enum):
    REGISTERED = "registered"        # recorded, no owner yet
    ASSIGNED = "assigned"            # owner (包案) and handler known, not yet accepted
    OBJECTED = "objected"            # the owner says it is not theirs; clock keeps running
    ACCEPTED = "accepted"            # petitioner contacted, acceptance decided
    IN_PROGRESS = "in_progress"
    PAUSED = "paused"                # approved pause: the clock stops
    REPLIED = "replied"              # reply given, awaiting the callback (回访)
    RESOLVED = "resolved"            # callback done (or impossible, with reason); may close
    CLOSED = "closed"
    UNDER_REVIEW = "under_review"    # 复查 requested
    REVIEWED = "reviewed"
    UNDER_RE_REVIEW = "under_re_review"  # 复核 requested
    RE_REVIEWED = "re_reviewed"      # final: the same matter is not accepted again
    NOT_ACCEPTED = "not_accepted"    # 不予受理 (Art. 23): decided with a reason, petitioner notified in writing

    def __str__(self) -> str:
        return self.value


S = CaseStatus
_OPEN_WORK = (S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS)
_CLOCKED = (S.ASSIGNED, S.OBJECTED, S.ACCEPTED, S.IN_PROGRESS, S.REPLIED, S.UNDER_REVIEW, S.UNDER_RE_REVIEW)

TRANSITIONS: dict[tuple[CaseStatus, str], CaseStatus] = {
    (S.REGISTERED, "assign"): S.ASSIGNED,
    (S.REGISTERED, "resolve_on_spot"): S.RESOLVED,
    (S.ASSIGNED, "accept"): S.ACCEPTED,
    (S.ASSIGNED, "object"): S.OBJECTED,
    (S.OBJECTED, "transfer"): S.ASSIGNED,
    (S.OBJECTED, "overrule"): S.ASSIGNED,
    (S.ASSIGNED, "decline"): S.NOT_ACCEPTED,
    (S.OBJECTED, "decline"): S.NOT_ACCEPTED,
    (S.ACCEPTED, "progress"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "progress"): S.IN_PROGRESS,
    (S.ACCEPTED, "reply"): S.REPLIED,
    (S.IN_PROGRESS, "reply"): S.REPLIED,
    (S.ACCEPTED, "pause"): S.PAUSED,
    (S.IN_PROGRESS, "pause"): S.PAUSED,
    (S.PAUSED, "resume"): S.IN_PROGRESS,
    (S.REPLIED, "callback_satisfied"): S.RESOLVED,
    (S.REPLIED, "callback_impossible"): S.RESOLVED,
    (S.REPLIED, "callback_unsatisfied"): S.IN_PROGRESS,
    (S.RESOLVED, "close"): S.CLOSED,
    (S.CLOSED, "request_review"): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, "decide_review"): S.REVIEWED,
    (S.REVIEWED, "request_re_review"): S.UNDER_RE_REVIEW,
    (S.UNDER_RE_REVIEW, "decide_re_review"): S.RE_REVIEWED,
    **{(state, "extend"): state for state in (S.ACCEPTED, S.IN_PROGRESS)},
    **{(state, "delegate"): state for state in _OPEN_WORK},
    **{(state, "escalate"): state for state in _CLOCKED},
    **{(state, "warn"): state for state in _CLOCKED},
}

TERMINAL = frozenset({S.RE_REVIEWED, S.NOT_ACCEPTED})
# States in which the matter is still being worked on: repeats link to such a case.
OPEN = frozenset({S.REGISTERED, S.ASSIGNED, S.OBJECTED, S.ACCEPTED, S.IN_PROGRESS, S.PAUSED, S.REPLIED,
                  S.UNDER_REVIEW, S.UNDER_RE_REVIEW})
# Done with, for counts and filters: everything not open.
CLOSED = frozenset(set(CaseStatus) - OPEN)


def allowed_actions(state: CaseStatus) -> tuple[str, ...]:
    return tuple(sorted(action for (s, action) in TRANSITIONS if s == state))


def next_state(state: CaseStatus, action: str) -> CaseStatus:
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        actions = allowed_actions(state)
        raise IllegalTransition.of("case.illegal_transition", action=action, state=str(state),
                                   allowed=", ".join(actions) or "none (the case is final)",
                                   allowed_actions=list(actions)) from None


# The state a case is in right after an event of each type (events of self-loop actions —
# extended, delegated, escalated, warned, repeat_linked — leave it as it was). Lets a
# history answer "what state was the case in at that moment" without a second table.
STATUS_AFTER_EVENT: dict[str, CaseStatus] = {
    "opened": S.REGISTERED, "assigned": S.ASSIGNED, "accepted": S.ACCEPTED, "objected": S.OBJECTED,
    "transferred": S.ASSIGNED, "objection_overruled": S.ASSIGNED, "progress": S.IN_PROGRESS,
    "paused": S.PAUSED, "resumed": S.IN_PROGRESS, "replied": S.REPLIED, "reopened": S.IN_PROGRESS,
    "resolved": S.RESOLVED, "closed": S.CLOSED, "review_requested": S.UNDER_REVIEW, "reviewed": S.REVIEWED,
    "re_review_requested": S.UNDER_RE_REVIEW, "re_reviewed": S.RE_REVIEWED,
    "not_accepted": S.NOT_ACCEPTED,
}
