"""The report aggregates ⇄ JSON, for the `state` columns of `supervision_items` and
`diary_summaries` (and the `digest` a submitted summary keeps as it stood then).

Explicit field by field, as `case_state` does for cases, so a stored item reads back as
the same domain value: dates and times as ISO text, tuples as lists, the status by value.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from models.reports.diary_summary import DiaryDigest, DiarySummary, Group, SummaryEvent
from models.reports.records import DiaryLine
from models.reports.supervision import Supervision, SupervisionEvent, SupervisionStatus


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def supervision_state(item: Supervision) -> dict[str, Any]:
    return {
        "item_id": item.item_id, "origin": item.origin, "title": item.title, "owner_cadre_id": item.owner_cadre_id,
        "assigned_by": item.assigned_by, "assigned_at": _time(item.assigned_at), "due_on": _day(item.due_on),
        "village_code": item.village_code, "meeting_day": _day(item.meeting_day), "case_ids": list(item.case_ids),
        "status": item.status.value, "escalation_level": item.escalation_level,
        "escalated_to_cadre_id": item.escalated_to_cadre_id,
        "events": [{"seq": e.seq, "type": e.type, "at": _time(e.at), "actor": e.actor, "data": dict(e.data)}
                   for e in item.events],
    }


def supervision_from_state(state: Mapping[str, Any]) -> Supervision:
    return Supervision(
        state["item_id"], state["origin"], state["title"], state["owner_cadre_id"], state["assigned_by"],
        datetime.fromisoformat(state["assigned_at"]), date.fromisoformat(state["due_on"]), state.get("village_code"),
        _parse_day(state.get("meeting_day")), tuple(state.get("case_ids") or ()), SupervisionStatus(state["status"]),
        int(state.get("escalation_level") or 0), state.get("escalated_to_cadre_id"),
        tuple(SupervisionEvent(int(e["seq"]), e["type"], datetime.fromisoformat(e["at"]), e.get("actor"),
                               dict(e.get("data") or {})) for e in state.get("events") or ()))


def supervision_columns(item: Supervision, *, next_check_at: datetime | None, at: datetime) -> dict[str, Any]:
    """The row of `supervision_items`: projections for queries beside the whole state."""
    return {"item_id": item.item_id, "origin": item.origin, "title": item.title,
            "owner_cadre_id": item.owner_cadre_id, "assigned_by": item.assigned_by, "assigned_at": item.assigned_at,
            "due_on": item.due_on, "village_code": item.village_code, "meeting_day": item.meeting_day,
            "status": item.status.value, "escalation_level": item.escalation_level,
            "escalated_to_cadre_id": item.escalated_to_cadre_id, "next_check_at": next_check_at,
            "state": supervision_state(item), "version": len(item.events), "updated_at": at}


def _line(d: DiaryLine) -> dict[str, Any]:
    return {"entry_id": d.entry_id, "author_cadre_id": d.author_cadre_id, "village_code": d.village_code,
            "category": d.category, "household": d.household, "occurred_at": _time(d.occurred_at),
            "problems": d.problems, "difficulties": d.difficulties, "hopes": d.hopes,
            "resolved_on_spot": d.resolved_on_spot, "resolution": d.resolution, "case_id": d.case_id,
            "tracking_code": d.tracking_code, "case_status": d.case_status}


def _parse_line(v: Mapping[str, Any]) -> DiaryLine:
    return DiaryLine(v["entry_id"], v["author_cadre_id"], v["village_code"], v["category"], v["household"],
                     datetime.fromisoformat(v["occurred_at"]), v.get("problems"), v.get("difficulties"),
                     v.get("hopes"), bool(v.get("resolved_on_spot")), v.get("resolution"), v.get("case_id"),
                     v.get("tracking_code"), v.get("case_status"))


def digest_state(digest: DiaryDigest) -> dict[str, Any]:
    """Each entry once, the groups by entry id: what was submitted, compactly."""
    lines = {e.entry_id: _line(e) for g in digest.by_category for e in g.entries}
    return {"village_code": digest.village_code, "period": digest.period, "entries": list(lines.values()),
            "by_category": [[g.key, [e.entry_id for e in g.entries]] for g in digest.by_category],
            "by_household": [[g.key, [e.entry_id for e in g.entries]] for g in digest.by_household]}


def digest_from_state(state: Mapping[str, Any]) -> DiaryDigest:
    lines = {v["entry_id"]: _parse_line(v) for v in state.get("entries") or ()}

    def groups(key: str) -> tuple[Group, ...]:
        return tuple(Group(name, tuple(lines[i] for i in ids)) for name, ids in state.get(key) or ())
    return DiaryDigest(state["village_code"], state["period"], groups("by_category"), groups("by_household"))


def summary_state(summary: DiarySummary) -> dict[str, Any]:
    return {"village_code": summary.village_code, "period": summary.period, "status": summary.status,
            "proposals": dict(summary.proposals), "submitted_by": summary.submitted_by,
            "submitted_at": _time(summary.submitted_at),
            "events": [{"type": e.type, "at": _time(e.at), "actor": e.actor, "data": dict(e.data)}
                       for e in summary.events]}


def summary_from_state(state: Mapping[str, Any], digest: Mapping[str, Any] | None) -> DiarySummary:
    return DiarySummary(
        state["village_code"], state["period"], state["status"], dict(state.get("proposals") or {}),
        state.get("submitted_by"), _parse_time(state.get("submitted_at")),
        digest_from_state(digest) if digest else None,
        tuple(SummaryEvent(e["type"], datetime.fromisoformat(e["at"]), e["actor"], dict(e.get("data") or {}))
              for e in state.get("events") or ()))


def summary_columns(summary: DiarySummary, *, at: datetime) -> dict[str, Any]:
    return {"village_code": summary.village_code, "period": summary.period, "status": summary.status,
            "proposals": dict(summary.proposals),
            "digest": digest_state(summary.digest) if summary.digest is not None else None,
            "submitted_by": summary.submitted_by, "submitted_at": summary.submitted_at,
            "state": summary_state(summary), "version": len(summary.events), "updated_at": at}
