"""Running a case action for a caller: the case must be visible to them (else 404), the
domain decides whether it may happen (else 409 with the state and the allowed actions), and
`change_case` stores the new state and its events in one transaction."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import HTTPException, status

from api.deps import ApiServices, Caller
from infra.case_store import CaseChangedMeanwhile, CaseNotFound, change_case
from infra.db import case_queries
from models.case import Action, Case
from models.errors import DomainError
from models.lifecycle import CaseStatus, allowed_actions


class ActionRefused(Exception):
    def __init__(self, message: str, state: str) -> None:
        super().__init__(message)
        self.message = message
        self.state = state
        self.allowed_actions = list(allowed_actions(CaseStatus(state))) if state in _STATES else []


_STATES = {s.value for s in CaseStatus}


def not_found(case_id: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"no case {case_id}")


async def visible_row(svc: ApiServices, caller: Caller, case_id: str) -> dict[str, Any]:
    async with svc.engine.connect() as conn:
        row = await case_queries.visible_case(conn, caller.scope, case_id)
    if row is None:
        raise not_found(case_id)
    return row


def require_party(caller: Caller, row: dict[str, Any], *, owner_only: bool = False) -> None:
    """Work on a case is for its owner (包案) or its handler."""
    parties = {row["owner_cadre_id"]} if owner_only else {row["owner_cadre_id"], row["handler_cadre_id"]}
    if caller.cadre_id not in parties:
        who = "owner" if owner_only else "owner or handler"
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"only the case's {who} can do this")


async def act(svc: ApiServices, caller: Caller, case_id: str,
              build: Callable[[Case], Sequence[Action]]) -> Case:
    now = svc.clock()
    seen: list[Case] = []

    def change(case: Case) -> Case:
        seen.append(case)
        for action in build(case):
            case = case.apply(action, now, caller.roster)
        return case

    try:
        return await change_case(svc.engine, case_id, change)
    except CaseNotFound:
        raise not_found(case_id) from None
    except CaseChangedMeanwhile as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    except DomainError as error:
        raise ActionRefused(str(error), seen[-1].status.value if seen else "unknown") from None
