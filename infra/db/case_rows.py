"""Projection of the case aggregate onto the `cases` columns and `case_events` rows."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from infra.db.case_state import state_json, to_state
from models.attention import next_attention
from models.case import Case, CaseEvent
from models.clock import current_due, current_stage, deadlines_provisional
from models.escalation import DEFAULT_ESCALATION, EscalationPolicy, Memo, running_warning_from
from models.lifecycle import OPEN
from models.rates import RateFacts, rate_facts

SYSTEM_ACTOR = "system"


def case_columns(case: Case, *, checked_at: datetime | None = None,
                 policy: EscalationPolicy = DEFAULT_ESCALATION, memo: Memo | None = None) -> dict[str, Any]:
    """Every column the aggregate decides; call it after each change and store the result.
    `checked_at`: the scheduler has just dealt with everything owed up to then; `policy`: the
    escalation policy in force (its working-day calendar times the warning and the climbs);
    `memo`: a batch's memo of the judgement's pure parts (the columns are the same without)."""
    return {**_projected(case, checked_at, policy, memo), "state": to_state(case)}


def stored_columns(case: Case, *, checked_at: datetime | None = None,
                   policy: EscalationPolicy = DEFAULT_ESCALATION, memo: Memo | None = None) -> dict[str, Any]:
    """`case_columns` with the state as JSON text (`state_json`): what `save_many` writes."""
    return {**_projected(case, checked_at, policy, memo), "state": state_json(case)}


def scheduled_columns(case: Case, *, checked_at: datetime | None = None,
                      policy: EscalationPolicy = DEFAULT_ESCALATION, memo: Memo | None = None) -> dict[str, Any]:
    """The part of `stored_columns` the escalation scheduler writes after `judged` (issue 12):
    what an escalation or a warning moves — the counted columns, the next look, the state,
    version and time — and the two columns the policy decides (`deadlines_provisional`,
    `warn_from`), which a calendar import or a new warning fraction may have left behind. The
    rest of the projection reads only fields the scheduler never changes, so the stored values
    stand (`tests/unit/test_escalation_fast_path.py` holds each equal before and after)."""
    return {"case_id": case.case_id, **counted_columns(case),
            "deadlines_provisional": deadlines_provisional(case, policy.calendar),
            "warn_from": running_warning_from(case, policy),
            "next_check_at": next_attention(case, after=checked_at, policy=policy, memo=memo),
            "state": state_json(case), "version": case.version, "updated_at": _updated_at(case)}


# The columns `scheduled_columns` gives, by name (the in-memory store writes these alone too).
SCHEDULED = frozenset({"case_id", "status", "village_code", "owner_cadre_id", "handler_cadre_id", "escalation_level",
                       "escalated_to_cadre_id", "escalation_acting_cadre_id", "deadlines_provisional", "warn_from",
                       "next_check_at", "state", "version", "updated_at"})


def _updated_at(case: Case) -> datetime | None:
    """When the case last changed: its latest event. Loaded without its history and given no
    new event (the scheduler moving its next look), it does not know: None keeps the stored time."""
    if case.events:
        return case.events[-1].at
    return None if case.base_version else case.occurred_at


def _projected(case: Case, checked_at: datetime | None, policy: EscalationPolicy,
               memo: Memo | None) -> dict[str, Any]:
    due = current_due(case)
    return {
        "case_id": case.case_id, **counted_columns(case), "source": case.source,
        "source_event_id": case.source_event_id,
        "category": case.category, "kind": case.kind, "urgency": case.urgency,
        "hidden_from": sorted(case.recusal.hidden_from),
        "deadlines_provisional": deadlines_provisional(case, policy.calendar),
        "unsatisfied_count": case.unsatisfied_count,
        "deadlines": {stage: due.isoformat() for stage, due in case.deadlines.items()},
        "next_due_at": due, "due_stage": current_stage(case) if due is not None else None,
        "warn_from": running_warning_from(case, policy), "is_open": case.status in OPEN,
        "next_check_at": next_attention(case, after=checked_at, policy=policy, memo=memo),
        "occurred_at": case.occurred_at, **rate_columns(case), "version": case.version,
        "updated_at": _updated_at(case),
    }


def counted_columns(case: Case) -> dict[str, Any]:
    """The columns the case counts are kept by (`infra.db.case_counts`): where the case is,
    its status, its escalation and the cadres whose reach it is in."""
    return {"status": case.status.value, "village_code": case.village_code,
            "owner_cadre_id": case.owner_cadre_id or "", "handler_cadre_id": case.handler_cadre_id or "",
            "escalation_level": case.escalation_level, "escalated_to_cadre_id": case.escalated_to_cadre_id,
            "escalation_acting_cadre_id": case.escalation_acting_cadre_id}


# The columns of a case's rate facts (`models.rates.RateFacts`, but `occurred_at`, stored anyway).
RATE_COLUMNS = {"response_due": "response_due_at", "responded_at": "responded_at", "callback_at": "callback_at",
                "callback_kind": "callback_kind", "problem_solved": "callback_solved"}
# Columns a case loaded without its history cannot know, each with the column whose None says
# so: then the stored value stands. It knows only the callbacks since (a callback is never
# undone, so a stored one is still the latest), and, given no new event, not when it last changed.
KEPT_WHEN_NONE = {"callback_at": "callback_at", "callback_kind": "callback_at", "callback_solved": "callback_at",
                  "updated_at": "updated_at"}


def rate_columns(case: Case) -> dict[str, Any]:
    facts = rate_facts(case)
    columns = {column: getattr(facts, name) for name, column in RATE_COLUMNS.items()}
    if facts.callback_at is None:
        columns.update(dict.fromkeys(RATE_COLUMNS[name] for name in ("callback_at", "callback_kind", "problem_solved")))
    return columns


def stored_rate_facts(row: Any) -> RateFacts:
    """The facts back from a stored row (a mapping of the `cases` columns)."""
    return RateFacts(row["occurred_at"], row["response_due_at"], row["responded_at"], row["callback_at"],
                     row["callback_kind"], bool(row["callback_solved"]))


def merge_columns(row: dict[str, Any], columns: dict[str, Any]) -> None:
    """Write a case's projected columns over its stored row, as `SqlCases.save_many` does."""
    row.update({name: value for name, value in columns.items()
                if not (name in KEPT_WHEN_NONE and columns.get(KEPT_WHEN_NONE[name]) is None)})


def event_rows(events: Iterable[CaseEvent]) -> tuple[dict[str, Any], ...]:
    return tuple({"event_id": e.event_id, "case_id": e.case_id, "seq": e.seq, "type": e.type,
                  "actor": e.actor or SYSTEM_ACTOR, "at": e.at, "source_event_id": e.source_event_id,
                  "data": dict(e.data)} for e in events)
