"""The bi-monthly diary summary of a village (两月一汇总): the two committees' diary entries
of the period grouped by category and household, the members' proposed solutions, the
branch secretary's submission, and the villages the township has not heard from.

Diary entries are read through the case door with the scope `models.reports.reach.diary_scope`
gives: a member of the village's two committees reads the whole village's diary."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from infra.exports.report_documents import diary_summary_document
from infra.services.acting import allowed
from infra.services.errors import Conflict, Invalid, NotFound
from infra.services.report_common import Report, diary_lines, names_for, refuse
from infra.services.ports import CaseFilter, ItemChangedMeanwhile, UnitOfWork
from models import workcalendar as wc
from models.access import Actor, Capability, Scope
from models.errors import DomainError
from models.reports import diary_summary as ds
from models.reports import periods
from models.reports.contract import diary_summary_json, outstanding_items
from models.reports.diary_summary import DiaryDigest, DiarySummary
from models.reports.periods import Period
from models.reports.reach import diary_scope, summary_villages


@dataclass(frozen=True)
class ReadDiarySummary:
    actor: Actor
    village_code: str
    period: str | None = None  # YYYY-Bn; default: the latest period whose last day has come


@dataclass(frozen=True)
class ProposeSolution:
    actor: Actor
    village_code: str
    period: str
    category: str
    solution: str


@dataclass(frozen=True)
class SubmitDiarySummary:
    actor: Actor
    village_code: str
    period: str


@dataclass(frozen=True)
class SummaryStatuses:
    """Where each village in reach stands with its summary of the period."""
    actor: Actor
    period: str | None = None


def latest_period(uow: UnitOfWork) -> Period:
    """The period a summary is now being written for: it can be submitted from its last day on."""
    current = periods.diary_period_of(uow.now)
    if wc.local_date(uow.now) >= current.last_day:
        return current
    return periods.diary_period_of(periods.midnight(current.first_day - timedelta(days=1)))


def _period(key: str | None, uow: UnitOfWork) -> Period:
    try:
        return periods.diary_period(key) if key else latest_period(uow)
    except DomainError as error:
        refuse(error)


def _reach(uow: UnitOfWork, actor: Actor, village_code: str) -> Scope:
    scope = diary_scope(actor, uow.roster, village_code) if village_code in _villages(uow) else None
    if scope is None:
        raise NotFound(f"no diary summary of village {village_code}", code="diary_summary.not_found",
                       params={"village_code": village_code})
    return scope


def _villages(uow: UnitOfWork) -> set[str]:
    return {v.code for v in uow.roster.villages()}


async def _digest(uow: UnitOfWork, scope: Scope, village_code: str, period: Period) -> DiaryDigest:
    entries = await diary_lines(uow, scope, CaseFilter(village_code=village_code, occurred_from=period.start,
                                                       occurred_until=period.end))
    return ds.digest_diaries(village_code, period, entries)


async def read_summary(cmd: ReadDiarySummary, uow: UnitOfWork) -> Report:
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    scope, period, now = _reach(uow, cmd.actor, cmd.village_code), _period(cmd.period, uow), uow.now
    summary = await uow.diary_summaries.get(cmd.village_code, period.key)
    # once submitted, the summary is what the township received, as it stood then
    digest = summary.digest if summary and summary.digest else await _digest(uow, scope, cmd.village_code, period)
    status = ds.submission_status(summary, period, now)
    outstanding = await _outstanding(uow, cmd.actor, period)
    names = await names_for(uow)
    body = {**diary_summary_json(digest, summary, status, ds.submission_due(period)), "generated_at": now.isoformat(),
            "not_submitted": outstanding_items(outstanding)}
    return Report(f"diary-summary-{cmd.village_code}-{period.key}", body, lambda lang: diary_summary_document(
        digest, summary, names(lang), now, lang, outstanding))


async def propose(cmd: ProposeSolution, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.RECORD_FIELD_FORMS))
    _reach(uow, cmd.actor, cmd.village_code)
    period = _period(cmd.period, uow)
    catalogue, _ = await uow.catalogues.current()
    if cmd.category not in {c.code for c in catalogue.categories}:
        raise Invalid("category", f"unknown category {cmd.category}", code="diary_summary.unknown_category",
                      params={"category": cmd.category})
    before = await uow.diary_summaries.get(cmd.village_code, period.key) or DiarySummary(cmd.village_code, period.key)
    try:
        after = ds.propose(before, cmd.category, cmd.solution, actor=cmd.actor.cadre_id or "", at=uow.now,
                           roster=uow.roster)
    except DomainError as error:
        refuse(error, state=before.status)
    await _save(uow, before, after)
    return _state(after, period, uow)


async def submit(cmd: SubmitDiarySummary, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.RECORD_FIELD_FORMS))
    scope, period = _reach(uow, cmd.actor, cmd.village_code), _period(cmd.period, uow)
    before = await uow.diary_summaries.get(cmd.village_code, period.key) or DiarySummary(cmd.village_code, period.key)
    digest = await _digest(uow, scope, cmd.village_code, period)
    try:
        after = ds.submit(before, digest, period, actor=cmd.actor.cadre_id or "", at=uow.now, roster=uow.roster)
    except DomainError as error:
        refuse(error, state=before.status)
    await _save(uow, before, after)
    return _state(after, period, uow)


async def statuses(cmd: SummaryStatuses, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    period, now = _period(cmd.period, uow), uow.now
    villages = summary_villages(cmd.actor, uow.roster)
    stored = {s.village_code: s for s in await uow.diary_summaries.of_periods([period.key], villages)}
    rows = [{"village_code": v, "status": ds.submission_status(stored.get(v), period, now),
             "submitted_at": _iso(stored[v].submitted_at) if v in stored else None,
             "submitted_by": stored[v].submitted_by if v in stored else None,
             "proposals": len(stored[v].proposals) if v in stored else 0} for v in villages]
    return {"period": period.key, "due": ds.submission_due(period).isoformat(), "items": rows}


async def _outstanding(uow: UnitOfWork, actor: Actor, period: Period) -> tuple[ds.Outstanding, ...]:
    villages = summary_villages(actor, uow.roster)
    return ds.not_submitted(villages, await uow.diary_summaries.of_periods([period.key], villages), period, uow.now)


async def _save(uow: UnitOfWork, before: DiarySummary, after: DiarySummary) -> None:
    try:
        await uow.diary_summaries.save(after, version=len(before.events), at=uow.now)
    except ItemChangedMeanwhile as error:
        raise Conflict(str(error), state=before.status, code="diary_summary.changed_meanwhile") from None
    await uow.commit()


def _state(summary: DiarySummary, period: Period, uow: UnitOfWork) -> dict[str, Any]:
    return {"village_code": summary.village_code, "period": summary.period, "status": summary.status,
            "proposals": dict(summary.proposals), "submitted_by": summary.submitted_by,
            "submitted_at": _iso(summary.submitted_at), "submission": ds.submission_status(summary, period, uow.now)}


def _iso(value: Any) -> Any:
    return None if value is None else value.isoformat()
