"""The service layer as every edge sees it: `await app.handle(command)` runs the command's
use case in a fresh unit of work; `submit`, `ingest` and `escalate_due` are the processes
that span more than one (waiting for a route, isolating a poison event, a scheduler tick).

Edges (routers, the web UI, Open311, the CLI, the stream agents) build commands and
translate results; they never open a transaction or decide a rule."""
from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, Protocol

from infra.services import (administration, assessment, calendar, casework, dead_letters, diary_summaries, directory,
                            escalation, insight, intake, lifecycle, notifications, open311, oversight, reads, reports,
                            submissions, supervision, top_issues, upward)
from infra.services.ports import UnitOfWork
from models.access import Actor
from models.early_warning import WarningPolicy

Handler = Callable[[Any, UnitOfWork], Awaitable[Any]]


class Access(Protocol):
    """Tokens and logins (`infra.auth.access.Access`)."""

    async def authenticate(self, token: str, *, address: str | None = None) -> Actor | None: ...

HANDLERS: dict[type, Handler] = {
    casework.AcceptCase: casework.accept_case,
    casework.ContactPetitioner: casework.contact_petitioner,
    casework.RecordProgress: casework.record_progress,
    casework.ReplyToPetitioner: casework.reply_to_petitioner,
    casework.ObjectToCase: casework.object_to_case,
    casework.DelegateCase: casework.delegate_case,
    casework.RecordCallback: casework.record_callback,
    casework.CloseCase: casework.close_case,
    oversight.RequestExtension: oversight.request_extension,
    oversight.DecideExtension: oversight.decide_extension,
    oversight.DecideObjection: oversight.decide_objection,
    oversight.ListExtensionRequests: oversight.list_extension_requests,
    oversight.ListAlerts: oversight.list_alerts,
    lifecycle.DeclineMatter: lifecycle.decline_matter,
    lifecycle.PauseCase: lifecycle.pause_case,
    lifecycle.ResumeCase: lifecycle.resume_case,
    lifecycle.RequestReviewOf: lifecycle.request_review,
    lifecycle.DecideReviewOf: lifecycle.decide_review,
    reads.GetCase: reads.get_case,
    reads.ListCases: reads.list_cases,
    reads.Inbox: reads.inbox,
    reads.CountCases: reads.count_cases,
    reads.CountByVillage: reads.count_by_village,
    reads.CallerCases: reads.caller_cases,
    reads.TrackCase: reads.track_case,
    reads.RecordExport: reads.record_export,
    insight.Rates: insight.rates,
    insight.RecentRates: insight.recent_rates,
    insight.OverdueHistory: insight.overdue_history,
    calendar.ImportCalendar: calendar.import_calendar,
    calendar.ShowCalendar: calendar.show_calendar,
    calendar.CalendarOutlook: calendar.calendar_outlook,
    administration.ImportRoster: administration.import_roster,
    administration.SetWhereabouts: administration.set_whereabouts,
    administration.PutCategory: administration.put_category,
    administration.ListCategories: administration.list_categories,
    administration.ReadAudit: administration.read_audit,
    dead_letters.ListDeadLetters: dead_letters.list_dead_letters,
    dead_letters.ReplayDeadLetters: dead_letters.replay_dead_letters,
    directory.Directory: directory.read_directory,
    directory.WhoAmI: directory.who_am_i,
    open311.ListServices: open311.list_services,
    open311.DescribeService: open311.describe_service,
    open311.ListRequests: open311.list_requests,
    notifications.ListNotifications: notifications.list_notifications,
    notifications.CountUnread: notifications.count_unread,
    notifications.MarkRead: notifications.mark_read,
    notifications.MarkAllRead: notifications.mark_all_read,
    notifications.ReadPreferences: notifications.read_preferences,
    notifications.SetPreferences: notifications.set_preferences,
    notifications.ListDeliveries: notifications.list_deliveries,
    notifications.ResendDelivery: notifications.resend_delivery,
    notifications.ResendDeadLetters: notifications.resend_dead_letters,
    notifications.ListNotificationDeadLetters: notifications.list_dead_letters,
    reports.MeetingReport: reports.meeting_report,
    reports.VisitingDaysReport: reports.visiting_days_report,
    assessment.AssessmentReport: assessment.assessment_report,
    assessment.ReadWeights: assessment.read_weights,
    assessment.SetWeights: assessment.set_weights,
    top_issues.TopicsReport: top_issues.topics_report,
    top_issues.PickTopIssue: top_issues.pick,
    supervision.RecordDecision: supervision.record_decision,
    supervision.WorkItem: supervision.work_item,
    supervision.ListItems: supervision.list_items,
    supervision.GetItem: supervision.get_item,
    diary_summaries.ReadDiarySummary: diary_summaries.read_summary,
    diary_summaries.ProposeSolution: diary_summaries.propose,
    diary_summaries.SubmitDiarySummary: diary_summaries.submit,
    diary_summaries.SummaryStatuses: diary_summaries.statuses,
    upward.RecordUpwardPetition: upward.record_upward_petition,
    upward.ListUpwardPetitions: upward.list_upward_petitions,
}


class Minqing:
    def __init__(self, uows: Callable[[], UnitOfWork], access: Access | None = None, *, topic_prefix: str = "",
                 routing_wait: float = submissions.ROUTING_WAIT_SECONDS,
                 warnings: WarningPolicy = WarningPolicy(),
                 due_probe: Callable[[], Awaitable[bool]] | None = None) -> None:
        self.uows = uows
        # whether anything may be owed the scheduler now, asked before opening a unit of work
        # for it (an idle tick is then one round trip): `infra.db.due_probe`
        self._due_probe = due_probe
        self._access = access
        self.topic_prefix = topic_prefix
        self._routing_wait = routing_wait
        self._warnings = warnings

    async def handle(self, command: Any) -> Any:
        handler = HANDLERS[type(command)]
        async with self.uows() as uow:
            return await handler(command, uow)

    async def submit(self, command: submissions.SubmitEvent, *, wait: float | None = None) -> submissions.Submitted:
        return await submissions.submit_event(command, self.uows, self.topic_prefix,
                                              self._routing_wait if wait is None else wait)

    async def export(self, cmd: reads.ExportCases) -> AsyncIterator[list[tuple[Any, ...]]]:
        """The export's chunks, once it is allowed and audited (`reads.export_cases`)."""
        return await reads.export_cases(cmd, self.uows)

    async def ingest(self, items: Sequence[intake.IntakeItem]) -> list[intake.Outcome]:
        return await intake.ingest(items, self.uows, self._warnings)

    async def escalate_due(self, batch_size: int = 500) -> int:
        """One scheduler tick: late cases, then late 督办 items; how many were claimed. One
        unit of work, each batch its own transaction (a batch commits; an empty claim leaves
        nothing to commit), so an idle tick costs one connection and one transaction — or,
        with a due probe, one statement and none. The probe reads the clock first: whatever it
        finds due, the unit of work's later `now` finds due too."""
        if self._due_probe is not None and not await self._due_probe():
            return 0
        async with self.uows() as uow:
            cases = await escalation.escalate_due(uow, batch_size)
            return cases + await supervision.escalate_due_items(uow, batch_size)

    @property
    def access(self) -> Access:
        if self._access is None:
            raise RuntimeError("this service layer was built without token and login stores")
        return self._access

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"
