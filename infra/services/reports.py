"""The leaders' periodic reports (issue 14) that only read: the Monday/Thursday joint-meeting
report and the month's visiting days. Every case, diary entry, early warning and 督办 item
is read within the caller's scope, so a case hidden from them by confidentiality counts for
nothing here — not in a list, not in a total, not in a chart.

The village assessment is in `assessment`, the month's top issue in `top_issues`, the
bi-monthly diary summary in `diary_summaries`; the 督办 items' own use cases in `supervision`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from infra.exports.report_documents import meeting_document, visiting_document
from infra.services.acting import allowed, scope_of
from infra.services.report_common import Report, case_lines, diary_lines, items_in_reach, names_for, refuse
from infra.services.ports import CaseFilter, UnitOfWork
from models.access import Actor, Capability
from models.errors import DomainError
from models.reports import periods
from models.reports.contract import meeting_json, visiting_items
from models.reports.meeting_report import assemble_meeting_report
from models.reports.meetings import meeting_window
from models.reports.reach import members_in_reach, report_villages
from models.reports.records import warning_line_of
from models.reports.visiting import REQUIRED_DAYS, visiting_days


@dataclass(frozen=True)
class MeetingReport:
    """By default since the start of the previous meeting day until now."""
    actor: Actor
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class VisitingDaysReport:
    actor: Actor
    month: str | None = None  # YYYY-MM; default: this month


async def meeting_report(cmd: MeetingReport, uow: UnitOfWork) -> Report:
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    scope, roster = scope_of(uow, cmd.actor), uow.roster
    try:
        window = meeting_window(uow.now, cmd.since, cmd.until)
    except DomainError as error:
        refuse(error)
    # the window's new cases and diary entries, and the open cases that need the meeting now
    raised = CaseFilter(occurred_from=window.since, occurred_until=window.until)
    lines = await case_lines(uow, scope, raised,
                             CaseFilter(open=True, due_before=window.due_horizon, occurred_until=window.until),
                             CaseFilter(open=True, escalated=True, occurred_until=window.until))
    diary = await diary_lines(uow, scope, raised)
    # an alert whose cluster accuses the reader is not among them (the domain's `hidden_from`)
    alerts = await uow.matters.alerts_raised(scope, cmd.actor.cadre_id, window.since, window.until)
    warnings = [warning_line_of(a) for a in alerts]
    items = await items_in_reach(uow, scope, await uow.supervision.within(scope, closed_since=window.since))
    report = assemble_meeting_report(window, village_codes=report_villages(scope, roster), cases=lines, diary=diary,
                                     warnings=warnings, supervision=items)
    names, now = await names_for(uow), uow.now
    body = {**meeting_json(report), "generated_at": now.isoformat(), "township": roster.township().name}
    return Report(f"meeting-{window.meeting_day.isoformat()}", body,
                  lambda lang: meeting_document(report, names(lang), now, lang))


async def visiting_days_report(cmd: VisitingDaysReport, uow: UnitOfWork) -> Report:
    """Per two-committee member: the distinct days with a diary entry, and the shortfall
    against 7 — for the villages in reach (a leader in charge: theirs), largest shortfall first."""
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    scope, now = scope_of(uow, cmd.actor), uow.now
    try:
        month = periods.month(cmd.month) if cmd.month else periods.month_of(now)
    except DomainError as error:
        refuse(error)
    entries = await diary_lines(uow, scope, CaseFilter(occurred_from=month.start, occurred_until=month.end))
    rows = visiting_days(month, members_in_reach(scope, uow.roster), entries)
    names = await names_for(uow)
    body = {**visiting_items(rows), "month": month.key, "required": REQUIRED_DAYS, "generated_at": now.isoformat(),
            "members": len(rows), "members_short": sum(r.shortfall > 0 for r in rows)}
    return Report(f"visiting-days-{month.key}", body, lambda lang: visiting_document(month.key, rows, names(lang),
                                                                                    now, lang))
