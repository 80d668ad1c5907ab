"""The unit of work and the repositories the use cases talk to, as small protocols.

Two implementations: PostgreSQL (`infra.db.uow`) and in memory (`infra.memory`); one
contract suite (tests/contract) runs the same assertions against both. A stored case is
read as a `CaseRow`: a mapping with the columns of `infra.db.tables.cases`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol

from infra.case_opening import CaseOpening
from models.access import Actor, Scope
from models.case import Case
from models.categories import Catalogue
from models.deadlines import DeadlinePolicy
from models.early_warning import EarlyWarning, Sighting
from models.escalation import EscalationPolicy, Memo
from models.notification_channels import Preferences
from models.petitioners import Petitioner
from models.rates import ThreeRates
from models.repeats import PriorCase
from models.reports.assessment import AssessmentWeights
from models.reports.diary_summary import DiarySummary
from models.reports.records import UpwardPetition
from models.reports.supervision import Supervision
from models.reports.topics import TopIssuePick
from models.roster import Roster

CaseRow = Mapping[str, Any]
Row = Mapping[str, Any]
Matter = tuple[str, str]      # (village_code, category)
SourceKey = tuple[str, str]   # (source topic, event_id)


@dataclass(frozen=True)
class CaseFilter:
    """Every way a list of cases can be narrowed; each field None = no condition."""
    source_event_id: str | None = None
    village_code: str | None = None
    status: str | None = None
    owner_cadre_id: str | None = None
    overdue: bool | None = None
    escalated: bool | None = None
    open: bool | None = None
    mine: str | None = None              # owned, handled or escalated to this cadre
    phone: str | None = None             # the petitioner's normalised phone
    case_ids: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    occurred_from: datetime | None = None
    occurred_until: datetime | None = None
    touched_since: datetime | None = None   # occurred or updated since
    open_or_updated_since: datetime | None = None
    public_only: bool = False            # no complaint, report or accusing case (Open311 without a key)
    sources: tuple[str, ...] | None = None   # hotline, contactcard, diary, reception
    due_before: datetime | None = None       # the running stage's deadline falls before this moment
    q: str | None = None                 # tracking code, phone, name or words of the summary and details
    sent_back: bool | None = None        # sent back by an unsatisfied callback at least once
    tracking_code: str | None = None


@dataclass(frozen=True)
class PageKey:
    """Where a keyset page continues: the order key of the last row seen — `created_at` for
    the newest-first order, `next_due_at` (None: no running deadline) for the deadline order —
    and its `case_id`, which breaks ties."""
    at: datetime | None
    case_id: str


class CaseRepository(Protocol):
    """The case aggregates. Everything loaded here is locked until the unit of work ends."""

    async def get(self, case_id: str) -> Case | None: ...

    async def get_many(self, case_ids: Sequence[str], *, history: bool = True) -> dict[str, Case]: ...

    async def claim_due(self, now: datetime, limit: int) -> list[Case]:
        """Cases owed the scheduler's attention (`next_check_at <= now`), skipping any another
        unit of work holds; locked here. Loaded without their event history (`base_version`
        numbers new events) unless their clock needs it (`models.clock.clock_needs_history`)."""
        ...

    async def add_opened(self, openings: Sequence[CaseOpening]) -> None:
        """New cases and their first events; the caller checked their source events under lock."""
        ...

    async def save(self, before: Case, after: Case, *, checked_at: datetime | None = None) -> None:
        """`save_many` of one change."""
        ...

    async def save_many(self, changes: Sequence[tuple[Case, Case]], *, checked_at: datetime | None = None,
                        policy: EscalationPolicy | None = None, memo: Memo | None = None,
                        scheduled: bool = False) -> None:
        """Each case (at most once) and its new events, all or nothing: a case whose stored
        version is no longer `before.version` raises `CaseChangedMeanwhile`. `policy`: project
        with this one instead of the unit of work's (a calendar just imported); `memo`: the
        scheduler batch's (`models.escalation.Memo`; the columns are the same without);
        `scheduled`: the changes are the scheduler's (`escalation.judged`), so only the columns
        an escalation or a warning can move are written (`infra.db.case_rows.scheduled_columns`)."""
        ...

    async def open_ids(self) -> list[str]:
        """Every case still being worked on (the lifecycle's OPEN states)."""
        ...


class CaseReader(Protocol):
    """Read-only views of stored cases, always within a scope."""

    async def visible(self, scope: Scope, case_id: str) -> CaseRow | None: ...

    async def by_tracking_code(self, scope: Scope | None, code: str) -> CaseRow | None:
        """None scope: the public look-up by the petitioner's code."""
        ...

    async def by_source_event(self, topic: str, event_id: str) -> CaseRow | None:
        """The case an input event became (opened or linked to), unscoped: the caller decides."""
        ...

    async def timeline(self, case_id: str) -> list[Row]: ...

    async def page(self, scope: Scope, f: CaseFilter, now: datetime, *, limit: int, offset: int = 0,
                   by_deadline: bool = False, after: PageKey | None = None,
                   columns: Sequence[str] | None = None) -> list[CaseRow]:
        """The matching cases in one of the two list orders: newest first (`created_at` desc,
        `case_id`), or by deadline (`next_due_at` asc nulls last, `case_id`). `after`: only
        the cases that come after this order key (keyset: as fast at any depth; `offset`
        skips rows after it). `columns`: only these (they must include the order's)."""
        ...

    async def count(self, scope: Scope, f: CaseFilter, now: datetime) -> int:
        """How many cases match (a scan of the scope's share of the table: the caller decides
        whether a page needs it)."""
        ...

    async def counts(self, scope: Scope, now: datetime) -> dict[str, Any]: ...

    async def counts_by_village(self, scope: Scope, now: datetime) -> dict[str, tuple[int, int, int]]:
        """village → (open, overdue, escalated), open cases only."""
        ...

    async def count_by(self, scope: Scope, f: CaseFilter, now: datetime, key: str) -> dict[str, int]:
        """Matching cases counted by one column (`village_code`, `category`, `owner_cadre_id`)."""
        ...

    async def rates_by(self, scope: Scope, f: CaseFilter, start: datetime, end: datetime,
                       key: str) -> dict[str, tuple[int, ThreeRates]]:
        """The matching cases grouped by one column (`village_code`, `owner_cadre_id`): how
        many, and their three rates over [start, end) (`models.rates.tally` of their stored
        facts, summed in SQL there)."""
        ...

    async def aggregates(self, scope: Scope, f: CaseFilter) -> dict[str, Case]:
        """The aggregates (with history) of the matching cases, unlocked: for rates and charts."""
        ...

    async def events_of(self, scope: Scope, f: CaseFilter, types: Sequence[str],
                        since: datetime | None = None) -> list[Row]:
        """Events of these types (case_id, village_code, type, at) of the matching cases."""
        ...

    async def lines(self, scope: Scope, f: CaseFilter) -> list[CaseRow]:
        """The matching cases as the reports read them, oldest first: the columns of `cases`
        but the aggregate's state (`case_id`, `tracking_code`, `village_code`, `category`,
        `source`, `summary`, `status`, `occurred_at`, `owner_cadre_id`, `next_due_at`,
        `escalation_level`, `escalated_to_cadre_id`, `event`)."""
        ...


class ExtensionRequests(Protocol):
    async def add(self, *, case_id: str, requested_by: str, days: int, reason: str, at: datetime) -> Row:
        """Raises `PendingExists` when the case already has a pending request."""
        ...

    async def get(self, request_id: int) -> Row | None:
        """Locked until the unit of work ends."""
        ...

    async def decide(self, request_id: int, *, status: str, by: str | None, at: datetime, note: str) -> Row: ...

    async def visible(self, scope: Scope, state: str | None, limit: int) -> list[Row]: ...


class CaseChangedMeanwhile(RuntimeError):
    """The stored case moved under us: someone else changed it first."""


class PendingExists(Exception):
    """A second pending extension request for one case."""


class Matters(Protocol):
    """Intake's questions about matters (village × category), a batch at a time."""

    async def lock(self, matters: Iterable[Matter]) -> None: ...

    async def seen(self, keys: Sequence[SourceKey]) -> dict[SourceKey, str]: ...

    async def prior_cases(self, matters: Iterable[Matter], people: Iterable[Petitioner]) -> dict[Matter, list[PriorCase]]: ...

    async def sightings(self, matters: Iterable[Matter], since: datetime, until: datetime) -> dict[Matter, list[Sighting]]: ...

    async def add_links(self, rows: Sequence[Mapping[str, Any]]) -> None: ...

    async def add_alerts(self, warnings: Sequence[EarlyWarning], at: datetime) -> None: ...

    async def alerts(self, scope: Scope, cadre_id: str | None, limit: int) -> list[Row]: ...

    async def alerts_raised(self, scope: Scope, cadre_id: str | None, since: datetime, until: datetime) -> list[Row]:
        """The alerts `alerts` would show, raised in [since, until), oldest first."""
        ...


class Outbox(Protocol):
    """Events accepted over HTTP, written in the request's transaction, relayed to their topic."""

    async def enqueue(self, topic: str, key: bytes, value: bytes, at: datetime) -> None: ...


class DeadLetters(Protocol):
    async def record(self, *, topic: str, partition: int, offset: int, key: bytes | None, value: bytes | None,
                     error: str, at: datetime) -> None: ...

    async def pending(self, *, topic: str | None = None, ids: Sequence[int] = (), include_replayed: bool = False,
                      limit: int = 1000) -> list[Row]: ...

    async def mark_replayed(self, ids: Sequence[int], at: datetime | None) -> None: ...


class Catalogues(Protocol):
    async def current(self) -> tuple[Catalogue, set[str]]:
        """The catalogue in force and the codes an admin changed."""
        ...

    async def put(self, code: str, label: str, handling_working_days: int, at: datetime) -> None: ...


class Calendars(Protocol):
    """Imported holiday schedules (official or local), as CONTRACT documents."""

    async def all(self) -> list[Mapping[str, Any]]: ...

    async def put(self, document: Mapping[str, Any], at: datetime) -> None:
        """Replaces an earlier import of the same year and kind."""
        ...


class Rosters(Protocol):
    async def save_snapshot(self, document: Mapping[str, Any], source: str, at: datetime) -> int: ...

    async def cadre_ids(self) -> frozenset[str]:
        """The cadres of the latest stored snapshot (none before the first import)."""
        ...

    async def set_whereabouts(self, cadre_id: str, status: str, until: datetime | None, at: datetime) -> None: ...


class AuditLog(Protocol):
    """Append-only and hash-chained: `who` names the token, login, role, cadre and address.
    Search terms go into `detail` masked (`models.audit.mask_term`)."""

    async def record(self, *, at: datetime, who: Actor, action: str, case_id: str | None = None,
                     **detail: Any) -> None: ...

    async def recent(self, *, limit: int, offset: int, case_id: str | None = None,
                     cadre_id: str | None = None) -> list[Row]: ...


class Credentials(Protocol):
    """Tokens and logins, where a use case must end someone's access in its own transaction."""

    async def revoke_cadres(self, cadre_ids: Sequence[str], *, by: Actor, at: datetime, reason: str) -> None:
        """Every live token of these cadres revoked, their logins disabled (audited)."""
        ...

    async def remove_demo_logins(self, *, by: Actor, at: datetime, reason: str) -> None:
        """The demo township's logins (public password) disabled, their tokens revoked (audited)."""
        ...


class Notifications(Protocol):
    """The in-app channel (a cadre's own notifications), each cadre's preferences, and the
    push deliveries with every attempt. The notifier (`infra.notify`) writes notifications and
    deliveries; these are the reads and the few writes people make."""

    async def page(self, cadre_id: str, *, limit: int, offset: int, unread_only: bool = False) -> list[Row]:
        """The cadre's own, unread first, newest first within each."""
        ...

    async def counts(self, cadre_id: str) -> tuple[int, int]:
        """(all, unread) of the cadre's own."""
        ...

    async def mark_read(self, cadre_id: str, notification_id: str, at: datetime) -> Row | None:
        """The notification, read (kept when it was already); None when it is not this cadre's."""
        ...

    async def mark_all_read(self, cadre_id: str, at: datetime) -> int: ...

    async def preferences(self, cadre_id: str) -> Preferences:
        """The defaults when the cadre never chose."""
        ...

    async def set_preferences(self, cadre_id: str, prefs: Preferences, by: str | None, at: datetime) -> None: ...

    async def deliveries(self, *, delivery_id: int | None = None, notification_id: str | None = None,
                         status: str | None = None, channel: str | None = None, limit: int = 100,
                         offset: int = 0) -> list[Row]:
        """Newest first, each with its notification's kind, recipient and case, and
        `attempt_log` (every attempt, first first); addresses masked."""
        ...

    async def resend(self, delivery_ids: Sequence[int], at: datetime) -> int:
        """Dead or sent deliveries go out again, attempts from zero; their dead letters are
        marked re-sent. Returns how many."""
        ...

    async def dead_letters(self, *, include_resent: bool = False, limit: int = 100) -> list[Row]: ...


class SupervisionItems(Protocol):
    """督办 items (models.reports.supervision). `next_check_at` is the domain's answer to when
    the scheduler must look again, stored beside the item for SQL to find."""

    async def get(self, item_id: str) -> Supervision | None:
        """Locked until the unit of work ends."""
        ...

    async def add(self, item: Supervision, *, next_check_at: datetime | None, at: datetime) -> None: ...

    async def save(self, before: Supervision, after: Supervision, *, next_check_at: datetime | None,
                   at: datetime) -> None:
        """Raises `ItemChangedMeanwhile` when the stored item is no longer `before`."""
        ...

    async def within(self, scope: Scope, *, closed_since: datetime | None = None,
                     include_closed: bool = False) -> list[Supervision]:
        """The items in the scope's reach (village, owner, recorder, escalated to): open ones, and
        closed ones when `include_closed` or closed at or after `closed_since`; by due date."""
        ...

    async def claim_due(self, now: datetime, limit: int) -> list[Supervision]:
        """Items owed the scheduler's attention, skipping any another unit of work holds; locked."""
        ...


class ItemChangedMeanwhile(RuntimeError):
    """The stored 督办 item or diary summary moved under us."""


class DiarySummaries(Protocol):
    async def get(self, village_code: str, period: str) -> DiarySummary | None:
        """Locked until the unit of work ends."""
        ...

    async def save(self, summary: DiarySummary, *, version: int, at: datetime) -> None:
        """Store it; `version` is the number of events it had when loaded (0: new). Raises
        `ItemChangedMeanwhile` when another unit of work saved it first."""
        ...

    async def of_periods(self, periods: Sequence[str], village_codes: Sequence[str]) -> list[DiarySummary]: ...


class TopIssuePicks(Protocol):
    async def of_month(self, month: str) -> list[TopIssuePick]: ...

    async def add(self, pick: TopIssuePick) -> None:
        """Raises `ItemChangedMeanwhile` when the month already has a pick with this label."""
        ...


class AssessmentWeightsStore(Protocol):
    async def current(self) -> tuple[AssessmentWeights, Row | None]:
        """The weights in force (the defaults until a deployment sets its own) and who set them."""
        ...

    async def put(self, weights: AssessmentWeights, *, set_by: str, at: datetime) -> None: ...


class UpwardPetitions(Protocol):
    async def add(self, petition: UpwardPetition, *, recorded_by: str, at: datetime) -> int: ...

    async def between(self, village_codes: Sequence[str], start: datetime, end: datetime) -> list[UpwardPetition]:
        """The petitions of these villages that occurred in [start, end), oldest first."""
        ...


class UnitOfWork(Protocol):
    """One transaction. `now` is its time (read once from the clock); `roster` the roster in
    force (raises `NoRoster` before the first import). Leaving without `commit` rolls back."""
    now: datetime
    policy: DeadlinePolicy   # the deadlines in force: catalogue limits, working-day calendar
    escalation: EscalationPolicy  # the escalation policy on the same calendar
    cases: CaseRepository
    reads: CaseReader
    extension_requests: ExtensionRequests
    matters: Matters
    outbox: Outbox
    dead_letters: DeadLetters
    catalogues: Catalogues
    calendars: Calendars
    rosters: Rosters
    audit: AuditLog
    credentials: Credentials
    notifications: Notifications
    supervision: SupervisionItems
    diary_summaries: DiarySummaries
    top_issues: TopIssuePicks
    assessment_weights: AssessmentWeightsStore
    upward_petitions: UpwardPetitions

    @property
    def roster(self) -> Roster: ...

    async def __aenter__(self) -> "UnitOfWork": ...

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None: ...

    async def commit(self) -> None: ...

    def reference_changed(self) -> None:
        """After a roster import, a whereabouts or catalogue change: later units of work see it."""
        ...
