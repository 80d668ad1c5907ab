"""Stored case rows → what a caller may see: overdue and warning flags, allowed actions, and
the petitioner with phone and id number masked unless the caller must call back."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from api.schemas.cases import CaseDetail, CasePublic, Petitioner, TimelineEntry
from infra.db.case_repo import CLOSED_STATUSES
from infra.db.case_state import from_state
from models.clock import current_stage, stage_started_at
from models.escalation import DEFAULT_ESCALATION, warning_due
from models.lifecycle import CaseStatus, allowed_actions

UNMASKED_ROLES = frozenset({"operator", "petition_staff"})  # those who call the petitioner back


def mask(value: str | None, keep_start: int, keep_end: int) -> str | None:
    if not value:
        return value
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end:]


def petitioner_view(petitioner: dict[str, Any] | None, role: str) -> Petitioner | None:
    if petitioner is None:
        return None
    anonymous = bool(petitioner.get("anonymous"))
    if role in UNMASKED_ROLES:
        return Petitioner(name=petitioner.get("name"), phone=petitioner.get("phone"),
                          id_number=petitioner.get("id_number"), anonymous=anonymous, masked=False)
    return Petitioner(name=None if anonymous else petitioner.get("name"), phone=mask(petitioner.get("phone"), 3, 4),
                      id_number=mask(petitioner.get("id_number"), 4, 2), anonymous=anonymous, masked=True)


def _warning(row: dict[str, Any], due: datetime | None, now: datetime) -> bool:
    """Three quarters of the running stage's time used: the escalation policy's warning."""
    if due is None or row["status"] in CLOSED_STATUSES or now > due:
        return False
    case = from_state(row["state"])
    stage = current_stage(case)
    started = stage_started_at(case, stage) if stage else row["occurred_at"]
    return warning_due(started, due, now, DEFAULT_ESCALATION)


def case_view(row: dict[str, Any], now: datetime, timeline: list[dict[str, Any]] | None = None) -> CasePublic:
    return CasePublic(**_fields(row, now, timeline))


def case_detail(row: dict[str, Any], now: datetime, timeline: list[dict[str, Any]], role: str) -> CaseDetail:
    return CaseDetail(**_fields(row, now, timeline), petitioner=petitioner_view(row.get("petitioner"), role),
                      accused=row.get("accused"))


def _fields(row: dict[str, Any], now: datetime, timeline: list[dict[str, Any]] | None) -> dict[str, Any]:
    due = row["next_due_at"]
    overdue = due is not None and due < now and row["status"] not in CLOSED_STATUSES
    plain = {key: row[key] for key in CasePublic.model_fields if key in row and key not in ("deadlines", "timeline")}
    return {**plain, "deadlines": {stage: datetime.fromisoformat(at) for stage, at in row["deadlines"].items()},
            "due_at": due, "overdue": overdue, "warning": _warning(row, due, now),
            "allowed_actions": list(allowed_actions(CaseStatus(row["status"]))),
            "timeline": [TimelineEntry(**entry) for entry in timeline or []]}
