"""The rest of the law's lifecycle, reachable: not accepting a matter (不予受理, Art. 23),
pausing and resuming with a leader's approval, and review (复查, Art. 35) and re-review
(复核, Art. 36) — requested by the petitioner through the desk, decided by the level above.
Who may decide is the domain's (`models.decisions`): never oneself, never below the accused."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infra.services.acting import allowed, answer, apply_actions, visible_row
from infra.services.oversight import require_leader
from infra.services.ports import UnitOfWork
from models.access import Actor, Capability, require_party
from models.case import Action
from models.case_actions import Decline
from models.oversight import Pause, Resume
from models.reviews import DecideReReview, DecideReview, RequestReReview, RequestReview


@dataclass(frozen=True)
class DeclineMatter:
    """The owner or handler decides the matter is not accepted, with the reason and the
    written notice to the petitioner (within 15 days of the petition)."""
    actor: Actor
    case_id: str
    reason: str
    notice: str


@dataclass(frozen=True)
class PauseCase:
    """A leader above the owner and handler stops the clock (e.g. waiting for an appraisal)."""
    actor: Actor
    case_id: str
    reason: str


@dataclass(frozen=True)
class ResumeCase:
    actor: Actor
    case_id: str


@dataclass(frozen=True)
class RequestReviewOf:
    """The petitioner asks, through the desk, for review (or, after it, re-review)."""
    actor: Actor
    case_id: str
    reason: str
    re_review: bool = False


@dataclass(frozen=True)
class DecideReviewOf:
    actor: Actor
    case_id: str
    decision: str
    re_review: bool = False


async def _act(uow: UnitOfWork, actor: Actor, case_id: str, action: Action) -> dict[str, Any]:
    await apply_actions(uow, case_id, lambda case: (action,))
    result = await answer(uow, actor, case_id)
    await uow.commit()
    return result


async def decline_matter(cmd: DeclineMatter, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.WORK_CASES))
    row = await visible_row(uow, cmd.actor, cmd.case_id)
    allowed(lambda: require_party(cmd.actor, row["owner_cadre_id"], row["handler_cadre_id"]))
    return await _act(uow, cmd.actor, cmd.case_id, Decline(cmd.reason, cmd.notice, actor=cmd.actor.cadre_id))


async def pause_case(cmd: PauseCase, uow: UnitOfWork) -> dict[str, Any]:
    require_leader(uow, cmd.actor)
    await visible_row(uow, cmd.actor, cmd.case_id)
    return await _act(uow, cmd.actor, cmd.case_id, Pause(cmd.reason, actor=cmd.actor.cadre_id or ""))


async def resume_case(cmd: ResumeCase, uow: UnitOfWork) -> dict[str, Any]:
    require_leader(uow, cmd.actor)
    await visible_row(uow, cmd.actor, cmd.case_id)
    return await _act(uow, cmd.actor, cmd.case_id, Resume(actor=cmd.actor.cadre_id))


async def request_review(cmd: RequestReviewOf, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.RECORD_CALLBACKS))
    await visible_row(uow, cmd.actor, cmd.case_id)
    request = RequestReReview if cmd.re_review else RequestReview
    return await _act(uow, cmd.actor, cmd.case_id, request(cmd.reason, actor=cmd.actor.cadre_id))


async def decide_review(cmd: DecideReviewOf, uow: UnitOfWork) -> dict[str, Any]:
    require_leader(uow, cmd.actor)
    await visible_row(uow, cmd.actor, cmd.case_id)
    decide = DecideReReview if cmd.re_review else DecideReview
    return await _act(uow, cmd.actor, cmd.case_id, decide(cmd.decision, actor=cmd.actor.cadre_id))
