"""Oversight: extensions (asked by the handler, decided by a leader), objection decisions,
and what a leader watches (extension requests, early warnings). One transaction each: a
decided request and the extended case are stored together or not at all."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from infra.services.acting import allowed, answer, apply_actions, scope_of, visible_row
from infra.services.errors import Conflict, Forbidden, Invalid, NotFound
from infra.services.ports import PendingExists, Row, UnitOfWork
from models.access import Actor, Capability, is_leader, require_party
from models.case import Action
from models.lifecycle import CaseStatus, allowed_actions
from models.oversight import Extend, Overrule, Transfer


@dataclass(frozen=True)
class RequestExtension:
    actor: Actor
    case_id: str
    days: int
    reason: str


@dataclass(frozen=True)
class DecideExtension:
    actor: Actor
    request_id: int
    approve: bool
    note: str = ""


@dataclass(frozen=True)
class DecideObjection:
    """Transfer the case to the right owner (and handler), or overrule the objection."""
    actor: Actor
    case_id: str
    decision: Literal["transfer", "overrule"]
    reason: str
    owner_cadre_id: str | None = None
    handler_cadre_id: str | None = None


@dataclass(frozen=True)
class ListExtensionRequests:
    actor: Actor
    state: str | None = "pending"
    limit: int = 100


@dataclass(frozen=True)
class ListAlerts:
    actor: Actor
    limit: int = 50


def require_leader(uow: UnitOfWork, actor: Actor) -> None:
    allowed(lambda: actor.require(Capability.DECIDE))
    if not is_leader(actor, uow.roster):
        raise Forbidden(f"cadre {actor.cadre_id} is not a township leader", code="access.not_leader",
                        params={"cadre_id": actor.cadre_id})


async def request_extension(cmd: RequestExtension, uow: UnitOfWork) -> Row:
    allowed(lambda: cmd.actor.require(Capability.WORK_CASES))
    row = await visible_row(uow, cmd.actor, cmd.case_id)
    allowed(lambda: require_party(cmd.actor, row["owner_cadre_id"], row["handler_cadre_id"]))
    state = CaseStatus(row["status"])
    if "extend" not in allowed_actions(state):
        raise Conflict(f"a case in state '{state}' cannot be extended", state=state.value,
                       allowed_actions=allowed_actions(state), code="extension.not_now", params={"state": state.value})
    try:
        created = await uow.extension_requests.add(case_id=cmd.case_id, requested_by=cmd.actor.cadre_id or "",
                                                   days=cmd.days, reason=cmd.reason, at=uow.now)
    except PendingExists:
        raise Conflict(f"case {cmd.case_id} already has a pending extension request", state=state.value,
                       allowed_actions=allowed_actions(state), code="extension.pending_exists",
                       params={"case_id": cmd.case_id}) from None
    await uow.commit()
    return created


async def decide_extension(cmd: DecideExtension, uow: UnitOfWork) -> Row:
    require_leader(uow, cmd.actor)
    missing = NotFound(f"no extension request {cmd.request_id}", params={"request_id": cmd.request_id})
    request = await uow.extension_requests.get(cmd.request_id)  # locked: a second decider waits here
    if request is None or await uow.reads.visible(scope_of(uow, cmd.actor), request["case_id"]) is None:
        raise missing
    if request["status"] != "pending":
        raise Conflict(f"extension request {cmd.request_id} was already {request['status']}",
                       code="extension.already_decided", params={"request_id": cmd.request_id,
                                                                 "status": request["status"]})
    if cmd.approve:
        extend = Extend(request["days"], request["reason"], actor=cmd.actor.cadre_id or "",
                        requested_by=request["requested_by"])  # nobody decides their own request
        await apply_actions(uow, request["case_id"], lambda case: (extend,))
    decided = await uow.extension_requests.decide(cmd.request_id, status="approved" if cmd.approve else "refused",
                                                  by=cmd.actor.cadre_id, at=uow.now, note=cmd.note)
    await uow.commit()
    return decided


async def decide_objection(cmd: DecideObjection, uow: UnitOfWork) -> dict[str, Any]:
    require_leader(uow, cmd.actor)
    await visible_row(uow, cmd.actor, cmd.case_id)
    action: Action
    if cmd.decision == "transfer":
        if cmd.owner_cadre_id is None:
            raise Invalid("owner_cadre_id", "required to transfer a case", code="objection.owner_required")
        action = Transfer(cmd.owner_cadre_id, cmd.handler_cadre_id or cmd.owner_cadre_id, cmd.reason,
                          actor=cmd.actor.cadre_id)
    else:
        action = Overrule(cmd.reason, actor=cmd.actor.cadre_id)
    await apply_actions(uow, cmd.case_id, lambda case: (action,))
    result = await answer(uow, cmd.actor, cmd.case_id)
    await uow.commit()
    return result


async def list_extension_requests(cmd: ListExtensionRequests, uow: UnitOfWork) -> list[Row]:
    allowed(lambda: cmd.actor.require(Capability.DECIDE))
    return await uow.extension_requests.visible(scope_of(uow, cmd.actor), cmd.state, cmd.limit)


async def list_alerts(cmd: ListAlerts, uow: UnitOfWork) -> list[Row]:
    allowed(lambda: cmd.actor.require(Capability.SEE_RATES))
    return await uow.matters.alerts(scope_of(uow, cmd.actor), cmd.actor.cadre_id, cmd.limit)
