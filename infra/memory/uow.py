"""The unit of work in memory: a working copy of the store's tables, swapped in on commit;
one lock held from enter to exit serialises units of work (PostgreSQL gets the same effect
for these use cases from row and advisory locks)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType

from infra.memory.repositories import (MemoryAudit, MemoryCalendars, MemoryCaseReader, MemoryCases,
                                       MemoryCatalogues, MemoryCredentials, MemoryDeadLetters,
                                       MemoryExtensionRequests, MemoryMatters, MemoryOutbox, MemoryRosters)
from infra.memory.notifications import MemoryNotifications
from infra.memory.report_repos import (MemoryAssessmentWeights, MemoryDiarySummaries, MemorySupervisionItems,
                                       MemoryTopIssuePicks, MemoryUpwardPetitions)
from infra.memory.store import MemoryStore, Tables
from infra.services.errors import NoRosterYet
from infra.services.policy import policy_in_force
from models.deadlines import DEFAULT_POLICY, DeadlinePolicy
from models.escalation import EscalationPolicy
from models.roster import Roster


class MemoryUnitOfWork:
    def __init__(self, store: MemoryStore, clock: Callable[[], datetime],
                 base_policy: DeadlinePolicy = DEFAULT_POLICY) -> None:
        self._store = store
        self._clock = clock
        self._base_policy = base_policy
        self._roster: Roster | None = None

    async def __aenter__(self) -> "MemoryUnitOfWork":
        await self._store.lock.acquire()
        self.now = self._clock()
        self._roster = self._store.latest_roster()
        tables = self._store.snapshot()
        catalogue, _ = await MemoryCatalogues(tables, self._store.base_catalogue).current()
        self.policy = policy_in_force(self._base_policy, catalogue, await MemoryCalendars(tables).all())
        self.escalation = EscalationPolicy(calendar=self.policy.calendar)
        self._begin(tables)
        return self

    def _begin(self, tables: Tables) -> None:
        self._tables = tables
        self.cases = MemoryCases(tables, self.escalation)
        self.reads = MemoryCaseReader(tables)
        self.extension_requests = MemoryExtensionRequests(tables)
        self.matters = MemoryMatters(tables)
        self.outbox = MemoryOutbox(tables)
        self.dead_letters = MemoryDeadLetters(tables)
        self.catalogues = MemoryCatalogues(tables, self._store.base_catalogue)
        self.calendars = MemoryCalendars(tables)
        self.rosters = MemoryRosters(tables)
        self.audit = MemoryAudit(tables)
        self.credentials = MemoryCredentials(tables)
        self.notifications = MemoryNotifications(tables)
        self.supervision = MemorySupervisionItems(tables)
        self.diary_summaries = MemoryDiarySummaries(tables)
        self.top_issues = MemoryTopIssuePicks(tables)
        self.assessment_weights = MemoryAssessmentWeights(tables)
        self.upward_petitions = MemoryUpwardPetitions(tables)

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        self._store.lock.release()

    @property
    def roster(self) -> Roster:
        if self._roster is None:
            raise NoRosterYet()
        return self._roster

    @property
    def tables(self) -> Tables:
        """The working copy (tests look inside it)."""
        return self._tables

    async def commit(self) -> None:
        self._store.tables = self._tables
        self._begin(self._store.snapshot())  # what follows the commit is a new transaction

    def reference_changed(self) -> None:
        """Every unit of work reads the roster and catalogue afresh: nothing is cached here."""


def memory_units(store: MemoryStore, clock: Callable[[], datetime],
                 base_policy: DeadlinePolicy = DEFAULT_POLICY) -> Callable[[], MemoryUnitOfWork]:
    return lambda: MemoryUnitOfWork(store, clock, base_policy)
