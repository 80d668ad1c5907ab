"""Case work: what the owner or handler does with a case (accept, contact, progress, reply,
object, delegate) and what the callback desk does with a replied one (callback, close).
Each use case: one command, one transaction, the domain decides."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from infra.services.acting import allowed, answer, apply_actions, visible_row
from infra.services.ports import UnitOfWork
from models.access import Actor, Capability, may_close, require_party
from models.case import Action, Case
from models.case_actions import Accept, CallbackImpossible, CallbackSatisfied, CallbackUnsatisfied, Close, Progress, Reply
from models.lifecycle import CaseStatus
from models.oversight import Delegate, Object


@dataclass(frozen=True)
class AcceptCase:
    actor: Actor
    case_id: str


@dataclass(frozen=True)
class ContactPetitioner:
    """Contact with the petitioner; the first contact of an assigned case is its acceptance."""
    actor: Actor
    case_id: str
    channel: str
    note: str


@dataclass(frozen=True)
class RecordProgress:
    actor: Actor
    case_id: str
    note: str


@dataclass(frozen=True)
class ReplyToPetitioner:
    actor: Actor
    case_id: str
    text: str


@dataclass(frozen=True)
class ObjectToCase:
    """Art. 23: the case is not ours — within 5 working days of the assignment."""
    actor: Actor
    case_id: str
    reason: str


@dataclass(frozen=True)
class DelegateCase:
    """The owner keeps the case (包案); someone else does the work."""
    actor: Actor
    case_id: str
    handler_cadre_id: str


@dataclass(frozen=True)
class RecordCallback:
    """回访: satisfied → resolved; unsatisfied → back to the handler; unreachable → resolved
    with the reason."""
    actor: Actor
    case_id: str
    result: Literal["satisfied", "unsatisfied", "unreachable"]
    problem_solved: bool | None
    note: str


@dataclass(frozen=True)
class CloseCase:
    actor: Actor
    case_id: str


Build = Callable[[Case], Sequence[Action]]


async def _party_work(uow: UnitOfWork, actor: Actor, case_id: str, build: Build, *,
                      owner_only: bool = False) -> dict[str, Any]:
    """Work on a case is for its owner or handler: check, apply, answer, commit."""
    allowed(lambda: actor.require(Capability.WORK_CASES))
    row = await visible_row(uow, actor, case_id)
    allowed(lambda: require_party(actor, row["owner_cadre_id"], row["handler_cadre_id"], owner_only=owner_only))
    await apply_actions(uow, case_id, build)
    result = await answer(uow, actor, case_id)
    await uow.commit()
    return result


async def accept_case(cmd: AcceptCase, uow: UnitOfWork) -> dict[str, Any]:
    return await _party_work(uow, cmd.actor, cmd.case_id, lambda case: (Accept(actor=cmd.actor.cadre_id),))


async def contact_petitioner(cmd: ContactPetitioner, uow: UnitOfWork) -> dict[str, Any]:
    me = cmd.actor.cadre_id
    note = Progress(f"contacted the petitioner ({cmd.channel}): {cmd.note}", actor=me)

    def actions(case: Case) -> tuple[Action, ...]:
        first = (Accept(actor=me),) if case.status == CaseStatus.ASSIGNED else ()
        return (*first, note)

    return await _party_work(uow, cmd.actor, cmd.case_id, actions)


async def record_progress(cmd: RecordProgress, uow: UnitOfWork) -> dict[str, Any]:
    return await _party_work(uow, cmd.actor, cmd.case_id, lambda case: (Progress(cmd.note, actor=cmd.actor.cadre_id),))


async def reply_to_petitioner(cmd: ReplyToPetitioner, uow: UnitOfWork) -> dict[str, Any]:
    return await _party_work(uow, cmd.actor, cmd.case_id, lambda case: (Reply(cmd.text, actor=cmd.actor.cadre_id),))


async def object_to_case(cmd: ObjectToCase, uow: UnitOfWork) -> dict[str, Any]:
    return await _party_work(uow, cmd.actor, cmd.case_id, lambda case: (Object(cmd.reason, actor=cmd.actor.cadre_id),))


async def delegate_case(cmd: DelegateCase, uow: UnitOfWork) -> dict[str, Any]:
    delegate = Delegate(cmd.handler_cadre_id, actor=cmd.actor.cadre_id)
    return await _party_work(uow, cmd.actor, cmd.case_id, lambda case: (delegate,), owner_only=True)


def callback_action(cmd: RecordCallback) -> Action:
    actor = cmd.actor.cadre_id
    if cmd.result == "satisfied":
        return CallbackSatisfied(cmd.note, True if cmd.problem_solved is None else cmd.problem_solved, actor=actor)
    if cmd.result == "unsatisfied":
        return CallbackUnsatisfied(cmd.note, bool(cmd.problem_solved), actor=actor)
    return CallbackImpossible(cmd.note, actor=actor)


async def record_callback(cmd: RecordCallback, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.RECORD_CALLBACKS))
    await visible_row(uow, cmd.actor, cmd.case_id)
    action = callback_action(cmd)
    await apply_actions(uow, cmd.case_id, lambda case: (action,))
    result = await answer(uow, cmd.actor, cmd.case_id)
    await uow.commit()
    return result


async def close_case(cmd: CloseCase, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    row = await visible_row(uow, cmd.actor, cmd.case_id)
    allowed(lambda: may_close(cmd.actor, row["owner_cadre_id"], row["handler_cadre_id"]))
    await apply_actions(uow, cmd.case_id, lambda case: (Close(actor=cmd.actor.cadre_id),))
    result = await answer(uow, cmd.actor, cmd.case_id)
    await uow.commit()
    return result
