"""Stored cases as a caller may see them: the domain's flags (overdue, warning, allowed
actions) read from the projections the domain wrote, the petitioner masked unless the
caller calls back. Plain dicts in the shape of the HTTP contract; the API only validates."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from infra.services.ports import CaseRow, Row
from models.access import Actor, Role, petitioner_for
from models.clock import overdue_at
from models.lifecycle import CaseStatus, allowed_actions

# Masking as for a reader who never calls back.
_NOBODY = Actor(Role.CADRE)
SUMMARY_FIELDS = ("case_id", "tracking_code", "status", "source", "source_event_id", "village_code", "category",
                  "kind", "urgency", "summary", "details", "owner_cadre_id", "handler_cadre_id", "escalation_level",
                  "routing", "occurred_at", "registered_by", "created_at", "updated_at")
# What a summary reads of a stored case: lists and the inbox fetch only these (the aggregate's
# state and first event, most of a row's bytes, would be fetched and decoded for nothing).
SUMMARY_COLUMNS = (*SUMMARY_FIELDS, "deadlines", "next_due_at", "due_stage", "warn_from", "deadlines_provisional",
                   "escalated_to_cadre_id", "escalation_acting_cadre_id", "unsatisfied_count")


def warning_now(row: CaseRow, now: datetime) -> bool:
    """Three quarters of the running stage's time used, not yet overdue (the domain stored
    when that starts: `warn_from`)."""
    due, start = row.get("next_due_at"), row.get("warn_from")
    return due is not None and start is not None and start <= now <= due


def case_summary(row: CaseRow, now: datetime, timeline: Sequence[Row] = ()) -> dict[str, Any]:
    due = row.get("next_due_at")
    return {**{name: row.get(name) for name in SUMMARY_FIELDS},
            "deadlines": {stage: _time(at) for stage, at in (row.get("deadlines") or {}).items()},
            "due_at": due, "due_stage": row.get("due_stage"), "overdue": overdue_at(due, now),
            "deadlines_provisional": bool(row.get("deadlines_provisional")),
            "warning": warning_now(row, now), "escalated_to_cadre_id": row.get("escalated_to_cadre_id"),
            "escalation_acting_cadre_id": row.get("escalation_acting_cadre_id"),
            "unsatisfied_count": row.get("unsatisfied_count") or 0,
            "allowed_actions": list(allowed_actions(CaseStatus(row["status"]))),
            "timeline": [dict(entry) for entry in timeline]}


def case_detail(row: CaseRow, now: datetime, timeline: Sequence[Row], actor: Actor | None) -> dict[str, Any]:
    """`actor` None: the answer to an action, which never unmasks (that takes an audited read)."""
    petitioner = row.get("petitioner")
    if actor is None:
        shown = None if petitioner is None else petitioner_for(_NOBODY, petitioner)
    else:
        shown = petitioner_for(actor, petitioner, parties_of(row))
    return {**case_summary(row, now, timeline), "petitioner": shown, "accused": row.get("accused")}


def parties_of(row: CaseRow) -> frozenset[str]:
    """Who must call the petitioner back: the owner and the handler."""
    return frozenset(c for c in (row.get("owner_cadre_id"), row.get("handler_cadre_id")) if c)


def _time(value: Any) -> Any:
    return datetime.fromisoformat(value) if isinstance(value, str) else value

