"""Petitions beyond the township (越级上访): the petition office records each one that reached
the county or higher, as it learns of it. A month of a village without one is a
zero-petition month in the village assessment."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from infra.services.acting import allowed, scope_of
from infra.services.errors import Invalid
from infra.services.ports import UnitOfWork
from models import workcalendar as wc
from models.access import Actor, Capability
from models.reports.reach import report_villages
from models.reports.records import UpwardPetition

Level = Literal["county", "city", "province", "national"]
CLOCK_SKEW = timedelta(minutes=10)  # as at every edge: a time ahead of the server's is refused


@dataclass(frozen=True)
class RecordUpwardPetition:
    actor: Actor
    village_code: str
    occurred_at: datetime
    level: Level = "county"
    reference: str | None = None


@dataclass(frozen=True)
class ListUpwardPetitions:
    actor: Actor
    since: datetime
    until: datetime


def petition_json(p: UpwardPetition) -> dict[str, Any]:
    return {"village_code": p.village_code, "occurred_at": p.occurred_at.isoformat(), "level": p.level,
            "reference": p.reference}


async def record_upward_petition(cmd: RecordUpwardPetition, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.RECORD_UPWARD))
    if cmd.village_code not in {v.code for v in uow.roster.villages()}:
        raise Invalid("village_code", f"{cmd.village_code} is not a village of this township",
                      code="upward.unknown_village", params={"village_code": cmd.village_code})
    if cmd.occurred_at > uow.now + CLOCK_SKEW:
        raise Invalid("occurred_at", "a petition beyond the township cannot be in the future",
                      code="upward.in_future", params={"occurred_at": cmd.occurred_at.isoformat()})
    petition = UpwardPetition(cmd.village_code, wc.to_local(cmd.occurred_at), cmd.level,
                              (cmd.reference or "").strip() or None)
    petition_id = await uow.upward_petitions.add(petition, recorded_by=cmd.actor.cadre_id or cmd.actor.role.value,
                                                 at=uow.now)
    await uow.commit()
    return {"id": petition_id, **petition_json(petition)}


async def list_upward_petitions(cmd: ListUpwardPetitions, uow: UnitOfWork) -> list[dict[str, Any]]:
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    villages = report_villages(scope_of(uow, cmd.actor), uow.roster)
    return [petition_json(p) for p in await uow.upward_petitions.between(villages, cmd.since, cmd.until)]
