"""The reports as CONTRACT "Reports" spells them (JSON-ready dicts): the fields listed there
are promised to other systems; the rest is extra, which the contract allows."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from models.reports.assessment import Assessment
from models.reports.diary_summary import DiaryDigest, DiarySummary, Group, Outstanding
from models.reports.meeting_report import MeetingReport, SupervisionLine
from models.reports.records import CaseLine, DiaryLine, WarningLine
from models.reports.supervision import allowed_actions
from models.reports.topics import Topic, TopicReport
from models.reports.visiting import VisitingDays


def visiting_items(rows: Iterable[VisitingDays]) -> dict[str, Any]:
    return {"items": [{"cadre_id": r.cadre_id, "village_code": r.village_code, "days": r.days,
                       "shortfall": r.shortfall, "required": r.required, "month": r.month,
                       "dates": [d.isoformat() for d in r.dates]} for r in rows]}


def assessment_items(assessment: Assessment) -> dict[str, Any]:
    return {"period": assessment.period, "weights": assessment.weights.to_mapping(),
            "items": [{"village_code": i.village_code, "score": i.score, "stars": i.stars, "rank": i.rank,
                       "grade": i.grade, "zero_petition": i.zero_petition, "parts": i.parts_dict()}
                      for i in assessment.items]}


def topic_items(report: TopicReport) -> dict[str, Any]:
    return {"month": report.month, "items": [_topic(t) for t in report.items]}


def meeting_json(report: MeetingReport) -> dict[str, Any]:
    w = report.window
    return {
        "since": w.since.isoformat(), "until": w.until.isoformat(), "meeting_day": w.meeting_day.isoformat(),
        "next_meeting_day": w.next_meeting_day.isoformat(), "totals": report.totals,
        "villages": [{"village_code": v.village_code, "new": len(v.new_cases), "diary_entries": v.diary_entries,
                      "resolved_on_spot": v.resolved_on_spot, "warnings": v.warnings,
                      "due_before_next": v.due_before_next, "overdue": v.overdue, "escalated": v.escalated,
                      "new_cases": [_case(c) for c in v.new_cases]} for v in report.villages],
        "new_cases": [_case(c) for c in report.new_cases],
        "diary_entries": [_entry(d) for d in report.diary_entries],
        "warnings": [_warning(a) for a in report.warnings],
        "due_before_next": [_case(c) for c in report.due_before_next],
        "overdue": [_case(c) for c in report.overdue],
        "escalated": [_case(c) for c in report.escalated],
        "top_categories": [{"category": c, "count": n} for c, n in report.top_categories],
        "supervision": [_supervision(s) for s in report.supervision],
    }


def diary_summary_json(digest: DiaryDigest, summary: DiarySummary | None, status: str,
                       due: datetime) -> dict[str, Any]:
    """A village's bi-monthly diary summary: what the diaries hold, grouped; the members'
    proposals; where the submission stands (on_time | late | missing | pending)."""
    return {"village_code": digest.village_code, "period": digest.period, "entries": digest.entries,
            "status": summary.status if summary else "draft", "submission": status, "due": due.isoformat(),
            "proposals": dict(summary.proposals) if summary else {},
            "submitted_by": summary.submitted_by if summary else None,
            "submitted_at": _iso(summary.submitted_at) if summary else None,
            "by_category": [_group(g) for g in digest.by_category],
            "by_household": [_group(g) for g in digest.by_household]}


def outstanding_items(rows: Iterable[Outstanding]) -> list[dict[str, Any]]:
    return [{"village_code": o.village_code, "period": o.period, "status": o.status, "due": o.due.isoformat()}
            for o in rows]


def _group(g: Group) -> dict[str, Any]:
    return {"key": g.key, "entries": len(g.entries), "households": list(g.households), "categories": list(g.categories),
            "problems": list(g.problems), "difficulties": list(g.difficulties), "hopes": list(g.hopes),
            "resolved_on_spot": [_entry(e) for e in g.resolved_on_spot],
            "became_cases": [_entry(e) for e in g.became_cases], "needs_proposal": g.needs_proposal}


def _topic(t: Topic) -> dict[str, Any]:
    return {"label": t.label, "keywords": list(t.keywords), "count": t.count, "village_codes": list(t.village_codes),
            "category": t.category, "case_ids": list(t.case_ids), "previous_count": t.previous_count,
            "recurring_months": list(t.recurring_months), "rising": t.rising, "across_villages": t.across_villages}


def _case(c: CaseLine) -> dict[str, Any]:
    return {"case_id": c.case_id, "tracking_code": c.tracking_code, "village_code": c.village_code,
            "category": c.category, "source": c.source, "summary": c.summary, "status": c.status,
            "occurred_at": c.occurred_at.isoformat(), "owner_cadre_id": c.owner_cadre_id, "due_at": _iso(c.due_at),
            "escalation_level": c.escalation_level, "escalated_to_cadre_id": c.escalated_to_cadre_id}


def _entry(d: DiaryLine) -> dict[str, Any]:
    return {"entry_id": d.entry_id, "author_cadre_id": d.author_cadre_id, "village_code": d.village_code,
            "category": d.category, "household": d.household, "occurred_at": d.occurred_at.isoformat(),
            "problems": d.problems, "difficulties": d.difficulties, "hopes": d.hopes,
            "resolved_on_spot": d.resolved_on_spot, "resolution": d.resolution, "case_id": d.case_id,
            "tracking_code": d.tracking_code}


def _warning(a: WarningLine) -> dict[str, Any]:
    return {"alert_id": a.alert_id, "village_code": a.village_code, "category": a.category,
            "petitioners": a.petitioners, "raised_at": a.raised_at.isoformat(), "leader_cadre_id": a.leader_cadre_id}


def _supervision(s: SupervisionLine) -> dict[str, Any]:
    item = s.item
    return {"item_id": item.item_id, "origin": item.origin, "title": item.title, "owner_cadre_id": item.owner_cadre_id,
            "assigned_by": item.assigned_by, "due_on": item.due_on.isoformat(), "status": str(item.status),
            "overdue": s.overdue, "recorded_in_window": s.recorded_in_window, "closed_in_window": s.closed_in_window,
            "escalation_level": item.escalation_level, "escalated_to_cadre_id": item.escalated_to_cadre_id,
            "village_code": item.village_code, "latest_note": item.latest_note(), "case_ids": list(item.case_ids),
            "assigned_at": item.assigned_at.isoformat(), "meeting_day": _iso(item.meeting_day),
            "allowed_actions": list(allowed_actions(item.status))}


def _iso(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()
