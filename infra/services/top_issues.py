"""The month's top issue (每月一题): the month's cases in the caller's scope clustered by
category and by what their summaries say, rising and recurring problems across villages
first; a leader picks one (or two) of them, names an owner and a deadline, and the pick is
followed up as a 督办 item (`supervision`)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from infra.exports.report_documents import topics_document
from infra.services.acting import allowed, scope_of
from infra.services.errors import Conflict, NotFound
from infra.services.report_common import Report, case_lines, items_in_reach, names_for, refuse
from infra.services.ports import CaseFilter, ItemChangedMeanwhile, UnitOfWork
from infra.services.supervision import item_json
from models.access import Actor, Capability, Scope
from models.errors import DomainError
from models.reports import periods
from models.reports import supervision as sv
from models.reports.contract import topic_items
from models.reports.periods import Period
from models.reports.supervision import Supervision
from models.reports.topics import TopicReport, TopIssuePick, month_topics, pick_top_issue

LOOK_BACK_MONTHS = 3  # earlier months compared, to tell recurring and rising problems


@dataclass(frozen=True)
class TopicsReport:
    actor: Actor
    month: str | None = None  # YYYY-MM; default: this month


@dataclass(frozen=True)
class PickTopIssue:
    actor: Actor
    month: str
    label: str              # a candidate's label, as the report of the month shows it
    owner_cadre_id: str
    due_on: date


def _month(key: str | None, uow: UnitOfWork) -> Period:
    try:
        return periods.month(key) if key else periods.month_of(uow.now)
    except DomainError as error:
        refuse(error)


async def _topics(uow: UnitOfWork, scope: Scope, month: Period) -> TopicReport:
    first = month
    for _ in range(LOOK_BACK_MONTHS):
        first = periods.previous_month(first)
    current = await case_lines(uow, scope, CaseFilter(occurred_from=month.start, occurred_until=month.end))
    earlier = await case_lines(uow, scope, CaseFilter(occurred_from=first.start, occurred_until=month.start))
    catalogue, _ = await uow.catalogues.current()
    return month_topics(month, current, earlier, labels={c.code: c.label for c in catalogue.categories})


async def _picks(uow: UnitOfWork, scope: Scope, month: Period) -> list[tuple[TopIssuePick, Supervision]]:
    """The month's picks the caller may see, each with the 督办 item that follows it up."""
    items = {i.item_id: i for i in await items_in_reach(uow, scope, await uow.supervision.within(
        scope, include_closed=True))}
    return [(p, items[p.item_id]) for p in await uow.top_issues.of_month(month.key) if p.item_id in items]


def pick_json(pick: TopIssuePick, item: Supervision, now: datetime) -> dict[str, Any]:
    return {"pick_id": pick.pick_id, "month": pick.month, "label": pick.label, "category": pick.category,
            "keywords": list(pick.keywords), "case_ids": list(pick.case_ids),
            "village_codes": list(pick.village_codes), "picked_by": pick.picked_by,
            "picked_at": pick.picked_at.isoformat(), "item": item_json(item, now)}


async def topics_report(cmd: TopicsReport, uow: UnitOfWork) -> Report:
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    scope, now, month = scope_of(uow, cmd.actor), uow.now, _month(cmd.month, uow)
    report = await _topics(uow, scope, month)
    picks = await _picks(uow, scope, month)
    names = await names_for(uow)
    body = {**topic_items(report), "generated_at": now.isoformat(),
            "picks": [pick_json(p, i, now) for p, i in picks]}
    return Report(f"topics-{month.key}", body,
                  lambda lang: topics_document(report, names(lang), now, lang, picks=picks))


async def pick(cmd: PickTopIssue, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.DECIDE))
    scope, now, month = scope_of(uow, cmd.actor), uow.now, _month(cmd.month, uow)
    report = await _topics(uow, scope, month)
    topic = next((t for t in report.items if t.label == cmd.label), None)
    if topic is None:
        raise NotFound(f"no candidate {cmd.label!r} among the top issues of {month.key}", code="top_issue.no_candidate",
                       params={"label": cmd.label, "month": month.key})
    try:
        chosen, item = pick_top_issue(str(uuid.uuid4()), str(uuid.uuid4()), month, topic,
                                      owner_cadre_id=cmd.owner_cadre_id, due_on=cmd.due_on,
                                      picked_by=cmd.actor.cadre_id or "", at=now, roster=uow.roster,
                                      earlier_picks=await uow.top_issues.of_month(month.key))
    except DomainError as error:
        refuse(error)
    await uow.supervision.add(item, next_check_at=sv.next_check_at(item, uow.roster), at=now)
    try:
        await uow.top_issues.add(chosen)
    except ItemChangedMeanwhile as error:
        raise Conflict(str(error), code="top_issue.already_picked",
                       params={"label": chosen.label, "month": month.key}) from None
    await uow.commit()
    return pick_json(chosen, item, now)
