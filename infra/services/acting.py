"""Steps every case use case shares: find the case the actor may see (else 404), let the
domain apply actions to the locked aggregate (else 409 with the state and what it allows),
store it with its events, and answer with the case as the actor now sees it."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from infra.services.errors import Conflict, NotFound, forbidden, refused
from infra.services.ports import CaseChangedMeanwhile, CaseRow, UnitOfWork
from infra.services.views import case_detail
from models.access import AccessDenied, Actor, Scope, scope_for
from models.case import Action, Case
from models.errors import DomainError
from models.lifecycle import allowed_actions


def scope_of(uow: UnitOfWork, actor: Actor) -> Scope:
    return scope_for(actor, uow.roster)


def no_case(case_id: str) -> NotFound:
    return NotFound(f"no case {case_id}", params={"case_id": case_id})


async def visible_row(uow: UnitOfWork, actor: Actor, case_id: str) -> CaseRow:
    row = await uow.reads.visible(scope_of(uow, actor), case_id)
    if row is None:
        raise no_case(case_id)
    return row


def allowed(check: Callable[[], None]) -> None:
    """Run an access rule; its refusal is a 403."""
    try:
        check()
    except AccessDenied as error:
        raise forbidden(error) from None


async def apply_actions(uow: UnitOfWork, case_id: str, build: Callable[[Case], Sequence[Action]]) -> Case:
    """The locked aggregate after the actions `build` chooses for it, stored with its events."""
    before = await uow.cases.get(case_id)
    if before is None:
        raise no_case(case_id)
    after = before
    try:
        for action in build(before):
            after = after.apply(action, uow.now, uow.roster, uow.policy)
    except AccessDenied as error:
        raise forbidden(error) from None
    except DomainError as error:
        raise refused(error, state=after.status.value, allowed=allowed_actions(after.status)) from None
    try:
        await uow.cases.save(before, after)
    except CaseChangedMeanwhile as error:
        raise Conflict(str(error), state=before.status.value, code="case.changed_meanwhile") from None
    return after


async def answer(uow: UnitOfWork, actor: Actor, case_id: str) -> dict[str, Any]:
    """The case as the actor sees it now, never unmasked (that takes an audited read)."""
    row = await visible_row(uow, actor, case_id)  # e.g. transferred out of the actor's reach: 404
    return case_detail(row, uow.now, await uow.reads.timeline(case_id), None)
