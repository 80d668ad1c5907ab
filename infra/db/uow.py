"""The unit of work on PostgreSQL: one connection, one transaction, every repository bound
to it. The roster and the deadline policy come from process-wide caches that notice a change
within a second (or at once, in the process that made it)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infra.auth.credentials import SqlCredentials
from infra.db.admin_repos import SqlAudit, SqlCalendars, SqlCatalogues, SqlDeadLetters, SqlOutbox, SqlRosters
from infra.db.case_queries import SqlCaseReader
from infra.db.case_repo import SqlCases
from infra.db.extension_repo import SqlExtensionRequests
from infra.db.matter_repo import SqlMatters
from infra.db.notification_repo import SqlNotifications
from infra.db.report_repos import (SqlAssessmentWeights, SqlDiarySummaries, SqlSupervisionItems, SqlTopIssuePicks,
                                   SqlUpwardPetitions)
from infra.policy_cache import PolicyCache
from infra.roster_cache import RosterCache
from infra.services.errors import NoRosterYet
from models.deadlines import DeadlinePolicy
from models.escalation import EscalationPolicy
from models.roster import Roster


class SqlUnitOfWork:
    def __init__(self, engine: AsyncEngine, clock: Callable[[], datetime], rosters: RosterCache,
                 policies: PolicyCache) -> None:
        self._engine = engine
        self._clock = clock
        self._rosters = rosters
        self._policies = policies
        self._conn: AsyncConnection | None = None
        self._roster: Roster | None = None

    async def __aenter__(self) -> "SqlUnitOfWork":
        self.now = self._clock()
        self._roster = await self._rosters.current_or_none()
        self.policy: DeadlinePolicy = await self._policies.current()
        self.escalation = EscalationPolicy(calendar=self.policy.calendar)
        conn = self._conn = await self._engine.connect()
        await conn.begin()
        self.cases = SqlCases(conn, self.escalation)
        self.reads = SqlCaseReader(conn)
        self.extension_requests = SqlExtensionRequests(conn)
        self.matters = SqlMatters(conn)
        self.outbox = SqlOutbox(conn)
        self.dead_letters = SqlDeadLetters(conn)
        self.catalogues = SqlCatalogues(conn)
        self.calendars = SqlCalendars(conn)
        self.rosters = SqlRosters(conn)
        self.audit = SqlAudit(conn)
        self.credentials = SqlCredentials(conn)
        self.notifications = SqlNotifications(conn)
        self.supervision = SqlSupervisionItems(conn)
        self.diary_summaries = SqlDiarySummaries(conn)
        self.top_issues = SqlTopIssuePicks(conn)
        self.assessment_weights = SqlAssessmentWeights(conn)
        self.upward_petitions = SqlUpwardPetitions(conn)
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if conn.in_transaction():
                await conn.rollback()
        finally:
            await conn.close()

    @property
    def connection(self) -> AsyncConnection:
        """For infrastructure that lives beside the use cases (never for the use cases)."""
        assert self._conn is not None, "unit of work not entered"
        return self._conn

    @property
    def roster(self) -> Roster:
        if self._roster is None:
            raise NoRosterYet()
        return self._roster

    async def commit(self) -> None:
        await self.cases.apply_counts()
        await self.connection.commit()

    def reference_changed(self) -> None:
        self._rosters.invalidate()
        self._policies.invalidate()
