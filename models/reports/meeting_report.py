"""The Monday/Thursday joint-meeting report (DOMAIN "Meetings and reports"): what came in
since the last meeting, what needs the meeting's attention now, and the meetings' own
decisions (督办 items) until they are closed.

The service hands over the cases opened in the window together with every open case, the
window's diary entries and early warnings, and the 督办 items; this module decides which
belong where:
- new cases: the petitioner spoke in the window; diary entries resolved on the spot are not
  new work and appear only under the diary;
- overdue: open, the running stage's deadline passed before the window's end;
- due before the next meeting: open, due between the window's end and the next meeting day;
- escalated: open and escalated (level > 0);
- top categories: of every matter raised in the window, on-the-spot resolutions included;
- 督办 items: every one recorded before the window's end and not closed before its start
  (those closed since are listed as done).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from models.reports.meetings import MeetingWindow
from models.reports.records import CaseLine, DiaryLine, WarningLine
from models.reports.supervision import Supervision

TOP_CATEGORIES = 5


@dataclass(frozen=True)
class VillageDigest:
    village_code: str
    new_cases: tuple[CaseLine, ...]
    diary_entries: int
    resolved_on_spot: int
    warnings: int
    due_before_next: int
    overdue: int
    escalated: int


@dataclass(frozen=True)
class SupervisionLine:
    item: Supervision
    overdue: bool
    recorded_in_window: bool
    closed_in_window: bool


@dataclass(frozen=True)
class MeetingReport:
    window: MeetingWindow
    villages: tuple[VillageDigest, ...]
    new_cases: tuple[CaseLine, ...]
    diary_entries: tuple[DiaryLine, ...]
    warnings: tuple[WarningLine, ...]
    due_before_next: tuple[CaseLine, ...]
    overdue: tuple[CaseLine, ...]
    escalated: tuple[CaseLine, ...]
    top_categories: tuple[tuple[str, int], ...]
    supervision: tuple[SupervisionLine, ...]

    @property
    def totals(self) -> dict[str, int]:
        return {"new": len(self.new_cases), "diary_entries": len(self.diary_entries),
                "resolved_on_spot": sum(d.resolved_on_spot for d in self.diary_entries),
                "warnings": len(self.warnings), "due_before_next": len(self.due_before_next),
                "overdue": len(self.overdue), "escalated": len(self.escalated),
                "supervision_open": sum(not s.item.is_closed for s in self.supervision),
                "supervision_overdue": sum(s.overdue for s in self.supervision)}


def assemble_meeting_report(window: MeetingWindow, *, village_codes: Iterable[str], cases: Iterable[CaseLine],
                            diary: Iterable[DiaryLine], warnings: Iterable[WarningLine],
                            supervision: Iterable[Supervision], top: int = TOP_CATEGORIES) -> MeetingReport:
    now = window.until
    entries = sorted((d for d in diary if window.contains(d.occurred_at)),
                     key=lambda d: (d.village_code, d.occurred_at))
    on_spot_ids = {d.case_id for d in entries if d.resolved_on_spot and d.case_id}
    unique = {c.case_id: c for c in cases}.values()
    new = sorted((c for c in unique if window.contains(c.occurred_at) and c.case_id not in on_spot_ids),
                 key=lambda c: (c.village_code, c.occurred_at, c.case_id))
    open_ = [c for c in unique if c.is_open]
    overdue = sorted((c for c in open_ if c.is_overdue(now)), key=lambda c: (c.due_at, c.case_id))
    due_next = sorted((c for c in open_ if c.due_at is not None and now <= c.due_at < window.due_horizon),
                      key=lambda c: (c.due_at, c.case_id))
    escalated = sorted((c for c in open_ if c.escalation_level > 0),
                       key=lambda c: (-c.escalation_level, c.due_at or now, c.case_id))
    alerts = sorted((w for w in warnings if window.contains(w.raised_at)), key=lambda w: (w.raised_at, w.alert_id))
    raised = Counter([c.category for c in new] + [d.category for d in entries if d.resolved_on_spot])
    lines = _supervision_lines(supervision, window)
    codes = list(dict.fromkeys(village_codes))
    seen = ({c.village_code for c in (*new, *overdue, *due_next, *escalated)} | {d.village_code for d in entries}
            | {a.village_code for a in alerts})
    codes += sorted(seen - set(codes))
    digests = tuple(_digest(code, new, entries, alerts, due_next, overdue, escalated) for code in codes)
    return MeetingReport(window, digests, tuple(new), tuple(entries), tuple(alerts), tuple(due_next), tuple(overdue),
                         tuple(escalated), tuple(sorted(raised.items(), key=lambda kv: (-kv[1], kv[0]))[:top]), lines)


def _digest(code: str, new: list[CaseLine], entries: list[DiaryLine], alerts: list[WarningLine],
            due_next: list[CaseLine], overdue: list[CaseLine], escalated: list[CaseLine]) -> VillageDigest:
    mine = [d for d in entries if d.village_code == code]
    return VillageDigest(code, tuple(c for c in new if c.village_code == code), len(mine),
                         sum(d.resolved_on_spot for d in mine), sum(w.village_code == code for w in alerts),
                         sum(c.village_code == code for c in due_next), sum(c.village_code == code for c in overdue),
                         sum(c.village_code == code for c in escalated))


def _supervision_lines(items: Iterable[Supervision], window: MeetingWindow) -> tuple[SupervisionLine, ...]:
    lines = []
    for item in items:
        closed_at = item.closed_at()
        if item.assigned_at >= window.until or (closed_at is not None and closed_at < window.since):
            continue
        lines.append(SupervisionLine(item, item.is_overdue(window.until), window.contains(item.assigned_at),
                                     closed_at is not None))
    return tuple(sorted(lines, key=lambda s: (s.item.is_closed, not s.overdue, s.item.due_on, s.item.item_id)))

