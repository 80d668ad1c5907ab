"""督办 items: decisions recorded in a joint meeting (what, which leader, by when) and the
month's picked top issue, followed up like cases — progress, reported done, closed by a
leader (usually in the next meeting), a new date, and escalation up the chain when late.
The domain (`models.reports.supervision`) decides every step; here one transaction each."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from infra.services.acting import allowed, scope_of
from infra.services.errors import Conflict, Invalid, NotFound
from infra.services.report_common import items_in_reach, refuse
from infra.services.ports import CaseFilter, ItemChangedMeanwhile, UnitOfWork
from models.access import Actor, Capability
from models.errors import DomainError
from models.reports import supervision as sv
from models.reports.meetings import DEFAULT_RHYTHM
from models.reports.supervision import Supervision

Act = Literal["progress", "report_done", "close", "reopen", "extend"]
# A late item nobody above can take yet is looked at again after this, not in a busy loop.
RETRY = timedelta(hours=1)


@dataclass(frozen=True)
class RecordDecision:
    """A decision of the joint meeting held today (or the next one)."""
    actor: Actor
    title: str
    owner_cadre_id: str
    due_on: date
    village_code: str | None = None
    case_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkItem:
    actor: Actor
    item_id: str
    action: Act
    note: str = ""
    due_on: date | None = None  # extend: the new date


@dataclass(frozen=True)
class ListItems:
    actor: Actor
    include_closed: bool = False


@dataclass(frozen=True)
class GetItem:
    actor: Actor
    item_id: str


def item_json(item: Supervision, now: datetime, *, history: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "item_id": item.item_id, "origin": item.origin, "title": item.title, "owner_cadre_id": item.owner_cadre_id,
        "assigned_by": item.assigned_by, "assigned_at": item.assigned_at.isoformat(),
        "due_on": item.due_on.isoformat(), "village_code": item.village_code,
        "meeting_day": item.meeting_day.isoformat() if item.meeting_day else None, "case_ids": list(item.case_ids),
        "status": item.status.value, "overdue": item.is_overdue(now), "escalation_level": item.escalation_level,
        "escalated_to_cadre_id": item.escalated_to_cadre_id, "latest_note": item.latest_note(),
        "allowed_actions": list(sv.allowed_actions(item.status))}
    if history:
        body["history"] = [{"seq": e.seq, "type": e.type, "at": e.at.isoformat(), "actor": e.actor,
                            "data": dict(e.data)} for e in item.events]
    return body


def _deciding(actor: Actor) -> str:
    allowed(lambda: actor.require(Capability.DECIDE))
    return actor.cadre_id or ""


async def record_decision(cmd: RecordDecision, uow: UnitOfWork) -> dict[str, Any]:
    chair = _deciding(cmd.actor)
    scope, now, roster = scope_of(uow, cmd.actor), uow.now, uow.roster
    if cmd.village_code is not None and cmd.village_code not in {v.code for v in roster.villages()}:
        raise Invalid("village_code", f"{cmd.village_code} is not a village of this township",
                      code="supervision.unknown_village", params={"village_code": cmd.village_code})
    if cmd.case_ids:  # a decision about cases the chair may see, never about one that accuses them
        seen = {r["case_id"] for r in await uow.reads.lines(scope, CaseFilter(case_ids=cmd.case_ids))}
        missing = sorted(set(cmd.case_ids) - seen)
        if missing:
            raise NotFound(f"no case {missing[0]}", params={"case_id": missing[0]})
    try:
        item = sv.record_decision(str(uuid.uuid4()), cmd.title, cmd.owner_cadre_id, cmd.due_on, assigned_by=chair,
                                  at=now, roster=roster, village_code=cmd.village_code,
                                  meeting_day=DEFAULT_RHYTHM.next_meeting_day(now), case_ids=tuple(cmd.case_ids))
    except DomainError as error:
        refuse(error)
    await uow.supervision.add(item, next_check_at=sv.next_check_at(item, roster), at=now)
    await uow.commit()
    return item_json(item, now, history=True)


async def work_item(cmd: WorkItem, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.WORK_CASES))
    before = await _visible(uow, cmd.actor, cmd.item_id)
    who, now, roster = cmd.actor.cadre_id or "", uow.now, uow.roster
    try:
        if cmd.action == "progress":
            after = sv.record_progress(before, cmd.note, actor=who, at=now, roster=roster)
        elif cmd.action == "report_done":
            after = sv.report_done(before, cmd.note, actor=who, at=now, roster=roster)
        elif cmd.action == "close":
            after = sv.close(before, actor=who, at=now, roster=roster, note=cmd.note)
        elif cmd.action == "reopen":
            after = sv.reopen(before, cmd.note, actor=who, at=now, roster=roster)
        else:
            if cmd.due_on is None:
                raise Invalid("due_on", "required to move a 督办 item's date", code="supervision.due_on_required")
            after = sv.extend(before, cmd.due_on, cmd.note, actor=who, at=now, roster=roster)
    except DomainError as error:
        refuse(error, state=before.status.value, allowed=sv.allowed_actions(before.status))
    await _save(uow, before, after)
    await uow.commit()
    return item_json(after, now, history=True)


async def list_items(cmd: ListItems, uow: UnitOfWork) -> list[dict[str, Any]]:
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    scope = scope_of(uow, cmd.actor)
    found = await items_in_reach(uow, scope, await uow.supervision.within(scope, include_closed=cmd.include_closed))
    return [item_json(i, uow.now) for i in found]


async def get_item(cmd: GetItem, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    return item_json(await _visible(uow, cmd.actor, cmd.item_id), uow.now, history=True)


async def escalate_due_items(uow: UnitOfWork, batch_size: int = 500) -> int:
    """The scheduler's look at late 督办 items: each climbs as the domain says, once."""
    claimed = await uow.supervision.claim_due(uow.now, batch_size)
    if not claimed:
        return 0
    roster, now = uow.roster, uow.now
    for item in claimed:
        after = sv.escalate(item, sv.escalation_step(item, roster, now), now)
        await uow.supervision.save(item, after, next_check_at=_later(sv.next_check_at(after, roster), now), at=now)
    await uow.commit()
    return len(claimed)


def _later(moment: datetime | None, now: datetime) -> datetime | None:
    """The next look: never one already due, or the scheduler would claim the item again at once."""
    if moment is None:
        return None
    return now + RETRY if moment <= now else moment


async def _visible(uow: UnitOfWork, actor: Actor, item_id: str) -> Supervision:
    item = await uow.supervision.get(item_id)
    if item is None or not await items_in_reach(uow, scope_of(uow, actor), [item]):
        raise NotFound(f"no 督办 item {item_id}", code="supervision.not_found", params={"item_id": item_id})
    return item


async def _save(uow: UnitOfWork, before: Supervision, after: Supervision) -> None:
    try:
        await uow.supervision.save(before, after, next_check_at=sv.next_check_at(after, uow.roster), at=uow.now)
    except ItemChangedMeanwhile as error:
        raise Conflict(str(error), state=before.status.value, code="supervision.changed_meanwhile") from None

