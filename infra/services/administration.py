"""Administration: the roster (import, whereabouts), the category catalogue and its time
limits, and the audit log. A change of the roster or the catalogue governs the next unit of
work everywhere within seconds."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from infra.demo.township import canonical_roster, is_demo_roster
from infra.services.acting import allowed
from infra.services.errors import Forbidden, Invalid, NotFound
from infra.services.ports import Row, UnitOfWork
from models.access import Actor, Capability, Role
from models.audit import ROSTER_IMPORT
from models.errors import RosterError
from models.roster import Roster


@dataclass(frozen=True)
class ImportRoster:
    actor: Actor
    document: Mapping[str, Any]
    source: str


@dataclass(frozen=True)
class SetWhereabouts:
    """The whereabouts sign (去向牌): an admin, or the cadre themselves."""
    actor: Actor
    cadre_id: str
    status: str
    until: datetime | None


@dataclass(frozen=True)
class PutCategory:
    actor: Actor
    code: str
    label: str
    handling_working_days: int


@dataclass(frozen=True)
class ListCategories:
    actor: Actor


@dataclass(frozen=True)
class ReadAudit:
    actor: Actor
    limit: int = 100
    offset: int = 0
    case_id: str | None = None
    cadre_id: str | None = None


async def import_roster(cmd: ImportRoster, uow: UnitOfWork) -> Roster:
    """Validate (every problem listed at once), store a snapshot; whereabouts live apart.
    Cadres the new roster removes lose their tokens and logins at once; the first roster that
    is not the demo township's ends the demo logins (their password is public)."""
    allowed(lambda: cmd.actor.require(Capability.ADMINISTER))
    try:
        roster = Roster.from_contract(cmd.document)
    except RosterError as error:
        raise Invalid("file", str(error), code="roster.refused", params={"problems": list(error.problems)}) from None
    canonical = canonical_roster(roster)
    removed = sorted(await uow.rosters.cadre_ids() - {c.cadre_id for c in roster.cadres})
    demo = is_demo_roster(canonical)
    await uow.rosters.save_snapshot(canonical, cmd.source, uow.now)
    if removed:
        await uow.credentials.revoke_cadres(removed, by=cmd.actor, at=uow.now, reason="removed from the roster")
    if not demo:
        await uow.credentials.remove_demo_logins(by=cmd.actor, at=uow.now,
                                                 reason="a roster other than the demo township's")
    await uow.audit.record(at=uow.now, who=cmd.actor, action=ROSTER_IMPORT, source=cmd.source,
                           units=len(roster.units), cadres=len(roster.cadres), removed_cadres=removed, demo=demo)
    await uow.commit()
    uow.reference_changed()
    return roster


async def set_whereabouts(cmd: SetWhereabouts, uow: UnitOfWork) -> dict[str, Any]:
    if cmd.actor.role != Role.ADMIN and cmd.actor.cadre_id != cmd.cadre_id:
        raise Forbidden("only an admin or the cadre themselves sets whereabouts", code="whereabouts.not_yours")
    if not uow.roster.has_cadre(cmd.cadre_id):
        raise NotFound(f"no cadre {cmd.cadre_id}", params={"cadre_id": cmd.cadre_id})
    await uow.rosters.set_whereabouts(cmd.cadre_id, cmd.status, cmd.until, uow.now)
    await uow.commit()
    uow.reference_changed()
    return {"cadre_id": cmd.cadre_id, "status": cmd.status, "until": cmd.until}


async def list_categories(cmd: ListCategories, uow: UnitOfWork) -> list[dict[str, Any]]:
    catalogue, changed = await uow.catalogues.current()
    return [{"code": c.code, "label": c.label, "handling_working_days": c.handling_working_days,
             "overridden": c.code in changed} for c in catalogue.categories]


async def put_category(cmd: PutCategory, uow: UnitOfWork) -> list[dict[str, Any]]:
    """Governs new cases from the next unit of work on (the deadline policy reads it)."""
    allowed(lambda: cmd.actor.require(Capability.ADMINISTER))
    await uow.catalogues.put(cmd.code, cmd.label, cmd.handling_working_days, uow.now)
    await uow.audit.record(at=uow.now, who=cmd.actor, action="category_change", code=cmd.code,
                           handling_working_days=cmd.handling_working_days)
    await uow.commit()
    uow.reference_changed()
    return await list_categories(ListCategories(cmd.actor), uow)


async def read_audit(cmd: ReadAudit, uow: UnitOfWork) -> list[Row]:
    allowed(lambda: cmd.actor.require(Capability.ADMINISTER))
    return await uow.audit.recent(limit=cmd.limit, offset=cmd.offset, case_id=cmd.case_id, cadre_id=cmd.cadre_id)
