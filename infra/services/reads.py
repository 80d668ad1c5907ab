"""Reading cases: a case, lists, the inbox, counts, a caller's earlier cases, the public
tracking view and the export — every one within the actor's scope, unmasked views and
personal-data searches audited in the same transaction."""
from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from infra.services import paging
from infra.services.acting import allowed, no_case, scope_of
from infra.services.errors import Invalid, NotFound
from infra.services.ports import CaseFilter, UnitOfWork
from infra.services.views import SUMMARY_COLUMNS, case_detail, case_summary, parties_of
from models.access import Actor, Capability, Scope, may_see_unmasked
from models.audit import CALLER_LOOKUP, EXPORT, SEARCH, UNMASKED_VIEW, mask_term
from models.lifecycle import OPEN, CaseStatus
from models.petitioners import normalise_phone


@dataclass(frozen=True)
class GetCase:
    actor: Actor
    case_id: str


@dataclass(frozen=True)
class ListCases:
    actor: Actor
    filters: CaseFilter = field(default_factory=CaseFilter)
    limit: int = 50
    offset: int = 0
    after: str | None = None  # a page's `next_cursor`: continue after its last case


@dataclass(frozen=True)
class Inbox:
    """The actor's own work — owned, handled, delegated and escalated to them — nearest
    deadline first."""
    actor: Actor
    include_closed: bool = False
    limit: int = 50
    offset: int = 0
    q: str | None = None
    sent_back: bool | None = None
    after: str | None = None


@dataclass(frozen=True)
class CountCases:
    actor: Actor


@dataclass(frozen=True)
class CountByVillage:
    actor: Actor


@dataclass(frozen=True)
class CallerCases:
    """A caller's earlier cases by phone (a look-up of personal data: audited)."""
    actor: Actor
    phone: str
    limit: int = 50
    offset: int = 0
    after: str | None = None


@dataclass(frozen=True)
class TrackCase:
    """The petitioner's view by tracking code: no personal data of anyone."""
    tracking_code: str


@dataclass(frozen=True)
class ExportCases:
    actor: Actor
    filters: CaseFilter = field(default_factory=CaseFilter)
    limit: int = 10_000


@dataclass(frozen=True)
class RecordExport:
    """A file of cases or a report leaves the system: the audit log names who took which."""
    actor: Actor
    what: str
    format: str


@dataclass(frozen=True)
class Page:
    """`total`: every match, or None on a page asked `after` a cursor — counting would scan the
    scope's share of the table on every page (1.8 s at a million cases) and make a deep page
    as slow as a count, so a walk by cursor counts once, on its first page. `next_cursor`:
    where the next page starts, None on the last page."""
    items: list[dict[str, Any]]
    total: int | None
    limit: int
    offset: int
    next_cursor: str | None = None


async def get_case(cmd: GetCase, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    row = await uow.reads.visible(scope_of(uow, cmd.actor), cmd.case_id)
    if row is None:
        raise no_case(cmd.case_id)
    timeline = await uow.reads.timeline(cmd.case_id)
    if may_see_unmasked(cmd.actor, parties_of(row)) and row.get("petitioner"):
        await uow.audit.record(at=uow.now, who=cmd.actor, action=UNMASKED_VIEW, case_id=cmd.case_id,
                               fields=["phone", "id_number"])
        await uow.commit()
    return case_detail(row, uow.now, timeline, cmd.actor)


async def list_cases(cmd: ListCases, uow: UnitOfWork) -> Page:
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    page = await _page(uow, cmd.actor, cmd.filters, cmd.limit, cmd.offset, cmd.after)
    await _audit_search(uow, cmd.actor, cmd.filters.q, page.total)
    return page


async def _page(uow: UnitOfWork, actor: Actor, f: CaseFilter, limit: int, offset: int, after: str | None, *,
                by_deadline: bool = False) -> Page:
    """One page by offset or after a cursor (never both: a cursor already says where). One
    row more than asked tells whether a next page exists; the total is counted only on a page
    without a cursor, and not even there when the page itself shows where the matches end."""
    if after is not None and offset:
        raise Invalid("offset", "a page after a cursor takes no offset", code="page.cursor_with_offset",
                      where="query")
    key = paging.decode(after, by_deadline) if after is not None else None
    scope = scope_of(uow, actor)
    rows = await uow.reads.page(scope, f, uow.now, limit=limit + 1, offset=offset, by_deadline=by_deadline,
                                after=key, columns=SUMMARY_COLUMNS)
    more, rows = len(rows) > limit, rows[:limit]
    total: int | None = None
    if key is None:
        total = offset + len(rows) if not more and (rows or not offset) else await _total(uow, scope, f)
    cursor = paging.encode(paging.key_of(rows[-1], by_deadline), by_deadline) if more else None
    return Page([case_summary(row, uow.now) for row in rows], total, limit, offset, cursor)


async def _total(uow: UnitOfWork, scope: Scope, f: CaseFilter) -> int:
    """Every case in reach, or those of one status, from the kept counts (the dashboard's, held
    to the scoped list by tests/contract): the first page of a district's list counts no rows.
    Any other filter is counted over the matching cases."""
    if replace(f, status=None) == CaseFilter():
        by_status = (await uow.reads.counts(scope, uow.now))["by_status"]
        return int(by_status.get(f.status, 0) if f.status is not None else sum(by_status.values()))
    return await uow.reads.count(scope, f, uow.now)


async def _audit_search(uow: UnitOfWork, actor: Actor, query: str | None, matches: int | None) -> None:
    """A search may be for a phone or a name: who searched what (masked) is audited."""
    if query:
        await uow.audit.record(at=uow.now, who=actor, action=SEARCH, terms=mask_term(query), matches=matches)
        await uow.commit()


async def inbox(cmd: Inbox, uow: UnitOfWork) -> Page:
    allowed(lambda: cmd.actor.require(Capability.WORK_CASES))
    mine = CaseFilter(mine=cmd.actor.cadre_id or "", open=None if cmd.include_closed else True, q=cmd.q,
                      sent_back=cmd.sent_back)
    page = await _page(uow, cmd.actor, mine, cmd.limit, cmd.offset, cmd.after, by_deadline=True)
    await _audit_search(uow, cmd.actor, cmd.q, page.total)
    return page


async def count_cases(cmd: CountCases, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    found = await uow.reads.counts(scope_of(uow, cmd.actor), uow.now)
    by_status: dict[str, int] = found["by_status"]
    total = sum(by_status.values())
    still_open = sum(n for status, n in by_status.items() if _is_open(status))
    return {"total": total, "open": still_open, "overdue": found["overdue"], "escalated": found["escalated"],
            "by_status": by_status}


def _is_open(status: str) -> bool:
    return CaseStatus(status) in OPEN


async def count_by_village(cmd: CountByVillage, uow: UnitOfWork) -> dict[str, Any]:
    """Open, overdue and escalated cases of each village in reach, with the totals."""
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    scope = scope_of(uow, cmd.actor)
    found = await uow.reads.counts_by_village(scope, uow.now)
    in_reach = [v for v in uow.roster.villages() if scope.township or v.code in scope.village_codes or v.code in found]
    rows: list[dict[str, Any]] = []
    for village in in_reach:
        still_open, overdue, escalated = found.get(village.code, (0, 0, 0))
        rows.append({"village_code": village.code, "name": village.name, "open": still_open, "overdue": overdue,
                     "escalated": escalated})
    return {"villages": rows, "totals": {key: sum(r[key] for r in rows) for key in ("open", "overdue", "escalated")}}


async def caller_cases(cmd: CallerCases, uow: UnitOfWork) -> Page:
    allowed(lambda: cmd.actor.require(Capability.LOOK_UP_CALLERS))
    phone = normalise_phone(cmd.phone)
    page = await _page(uow, cmd.actor, CaseFilter(phone=phone), cmd.limit, cmd.offset, cmd.after)
    await uow.audit.record(at=uow.now, who=cmd.actor, action=CALLER_LOOKUP, phone=mask_term(phone),
                           matches=page.total)
    await uow.commit()
    return page


async def track_case(cmd: TrackCase, uow: UnitOfWork) -> dict[str, Any]:
    code = "".join(cmd.tracking_code.split()).upper()
    row = await uow.reads.by_tracking_code(None, code)
    if row is None:
        raise NotFound(f"no case with tracking code {cmd.tracking_code}", code="track.unknown_code",
                       params={"tracking_code": cmd.tracking_code})
    timeline = await uow.reads.timeline(row["case_id"])
    replies = [{"at": e["at"], "text": str(e["data"].get("reply") or e["data"].get("resolution"))}
               for e in timeline if e["type"] == "replied" or (e["type"] == "resolved" and e["data"].get("on_spot"))]
    return {"tracking_code": row["tracking_code"], "status": row["status"], "category": row["category"],
            "received_at": row["occurred_at"], "updated_at": row["updated_at"], "due_at": row["next_due_at"],
            "due_stage": row.get("due_stage"), "closed": not row["is_open"], "replies": replies}


EXPORT_COLUMNS = ("case_id", "tracking_code", "status", "source", "village_code", "category", "kind", "urgency",
                  "owner_cadre_id", "handler_cadre_id", "escalation_level", "next_due_at", "created_at", "updated_at")


EXPORT_CHUNK = 500


async def export_cases(cmd: ExportCases, uows: Callable[[], UnitOfWork]) -> AsyncIterator[list[tuple[Any, ...]]]:
    """The cases in reach as rows of EXPORT_COLUMNS (no petitioner data), newest first, at most
    `cmd.limit`, in chunks of EXPORT_CHUNK: memory stays that of one chunk whatever the size of
    the file. The check and the audit entry (who, when, at most how many rows) are committed
    here, before the chunks' iterator is handed back: a refusal comes before any byte of the
    file, and no row leaves unaudited even if the reader stops half-way. Each chunk is its own
    short transaction continuing after the last key (keyset), so a slow reader holds no
    connection; a case registered meanwhile is newer than the walk and is not in the file."""
    async with uows() as uow:
        allowed(lambda: cmd.actor.require(Capability.READ_CASES))
        scope, now = scope_of(uow, cmd.actor), uow.now
        await uow.audit.record(at=now, who=cmd.actor, action=EXPORT, rows_at_most=cmd.limit)
        await uow.commit()

    async def chunks() -> AsyncIterator[list[tuple[Any, ...]]]:
        key, left = None, cmd.limit
        while left > 0:
            async with uows() as chunk_uow:
                rows = await chunk_uow.reads.page(scope, cmd.filters, now, limit=min(EXPORT_CHUNK, left), after=key,
                                                  columns=EXPORT_COLUMNS)
            if rows:
                yield [tuple(row[c] for c in EXPORT_COLUMNS) for row in rows]
            if len(rows) < min(EXPORT_CHUNK, left):
                return
            left -= len(rows)
            key = paging.key_of(rows[-1], by_deadline=False)

    return chunks()


async def record_export(cmd: RecordExport, uow: UnitOfWork) -> None:
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    await uow.audit.record(at=uow.now, who=cmd.actor, action=EXPORT, what=cmd.what, format=cmd.format)
    await uow.commit()
