"""Neutral input records of the reports: what a service reads from storage (SQL rows or the
in-memory unit of work) and hands to the report rules. Plain values, no behaviour beyond
what the rules ask of them; `*_from` builders make them from the domain's own objects, `*_of`
builders from stored rows.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from models.case import Case
from models.clock import current_due
from models.early_warning import EarlyWarning
from models.lifecycle import OPEN


@dataclass(frozen=True)
class CaseLine:
    """One case as the reports see it. `due_at`: the deadline of the stage whose clock runs
    now (None when no clock runs: paused, replied, done)."""
    case_id: str
    tracking_code: str
    village_code: str
    category: str
    source: str
    summary: str
    status: str
    occurred_at: datetime
    owner_cadre_id: str
    due_at: datetime | None = None
    escalation_level: int = 0
    escalated_to_cadre_id: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status in _OPEN

    def is_overdue(self, now: datetime) -> bool:
        return self.is_open and self.due_at is not None and now > self.due_at


_OPEN = frozenset(str(s) for s in OPEN)


@dataclass(frozen=True)
class DiaryLine:
    """One diary-of-people's-feelings entry (民情日记) and what became of it: resolved on the
    spot, or the case it opened for its author (`case_id`, `case_status`)."""
    entry_id: str
    author_cadre_id: str
    village_code: str
    category: str
    household: str
    occurred_at: datetime
    problems: str | None = None
    difficulties: str | None = None
    hopes: str | None = None
    resolved_on_spot: bool = False
    resolution: str | None = None
    case_id: str | None = None
    tracking_code: str | None = None
    case_status: str | None = None

    @property
    def became_case(self) -> bool:
        return not self.resolved_on_spot and self.case_id is not None


@dataclass(frozen=True)
class WarningLine:
    """An early warning (超前信访) raised: a cluster of residents on one matter."""
    alert_id: str
    village_code: str
    category: str
    petitioners: int
    raised_at: datetime
    leader_cadre_id: str | None = None


def case_line_from(case: Case, tracking_code: str, summary: str) -> CaseLine:
    return CaseLine(case.case_id, tracking_code, case.village_code, case.category, case.source, summary,
                    str(case.status), case.occurred_at, case.owner_cadre_id or "", current_due(case),
                    case.escalation_level, case.escalated_to_cadre_id)


def diary_line_from(case: Case, entry: Mapping[str, Any], tracking_code: str | None = None) -> DiaryLine:
    """From a diary case and its input event (CONTRACT `diary.entries`)."""
    on_spot = bool(entry.get("resolved_on_spot"))
    return DiaryLine(str(entry.get("event_id", case.source_event_id)), str(entry["author_cadre_id"]),
                     case.village_code, case.category, str(entry.get("household", "")), case.occurred_at,
                     entry.get("problems"), entry.get("difficulties"), entry.get("hopes"), on_spot,
                     entry.get("resolution"), case.case_id, tracking_code, str(case.status))


def warning_line_from(warning: EarlyWarning, raised_at: datetime) -> WarningLine:
    return WarningLine(warning.alert_id, warning.village_code, warning.category, warning.petitioner_count,
                       raised_at, warning.leader_cadre_id)


@dataclass(frozen=True)
class UpwardPetition:
    """A petition from the village that went beyond the township (to the county or higher),
    as the petition office records it: what a "zero-petition" month must not have."""
    village_code: str
    occurred_at: datetime
    level: str = "county"  # county | city | province | national
    reference: str | None = None


def case_line_of(row: Mapping[str, Any]) -> CaseLine:
    """From a stored case as the reports read it (the columns of `cases`)."""
    return CaseLine(row["case_id"], row["tracking_code"], row["village_code"], row["category"], row["source"],
                    row["summary"], row["status"], row["occurred_at"], row["owner_cadre_id"] or "",
                    row.get("next_due_at"), int(row.get("escalation_level") or 0), row.get("escalated_to_cadre_id"))


def diary_line_of(row: Mapping[str, Any]) -> DiaryLine:
    """From a stored diary case and the `diary.entries` event it was opened from (`event`)."""
    entry: Mapping[str, Any] = row.get("event") or {}
    on_spot = bool(entry.get("resolved_on_spot"))
    return DiaryLine(str(entry.get("event_id") or row["case_id"]), str(entry.get("author_cadre_id") or
                                                                      row["owner_cadre_id"]),
                     row["village_code"], row["category"], str(entry.get("household") or ""), row["occurred_at"],
                     entry.get("problems"), entry.get("difficulties"), entry.get("hopes"), on_spot,
                     entry.get("resolution"), row["case_id"], row.get("tracking_code"), row["status"])


def warning_line_of(row: Mapping[str, Any]) -> WarningLine:
    """From a stored alert."""
    return WarningLine(row["alert_id"], row["village_code"], row["category"], int(row["petitioners"]),
                       row["raised_at"], row.get("leader_cadre_id"))
