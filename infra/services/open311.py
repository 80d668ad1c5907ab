"""Open311 GeoReport v2 as use cases: services are the categories in force (an admin's new
ones included), requests are cases. Without an api_key only the public view: no
descriptions, and no complaint, report or accusing case. Creating a request is the same
intake path as a hotline call (`submissions`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from infra.services.errors import NotFound
from infra.services.ports import CaseFilter, CaseRow, UnitOfWork
from models.access import Actor, Scope, scope_for
from models.categories import Catalogue, Category
from models.roster import Roster

MAX_REQUESTS = 1000
DEFAULT_WINDOW = timedelta(days=90)  # the spec's default when no dates are given


@dataclass(frozen=True)
class ListServices:
    pass


@dataclass(frozen=True)
class DescribeService:
    service_code: str


@dataclass(frozen=True)
class ListRequests:
    actor: Actor | None                 # None: the public view
    case_ids: tuple[str, ...] | None = None
    service_codes: tuple[str, ...] | None = None
    open: bool | None = None
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class Requests:
    rows: list[CaseRow]
    roster: Roster
    catalogue: Catalogue
    full: bool                          # descriptions and notes: only for a caller with a key


async def list_services(cmd: ListServices, uow: UnitOfWork) -> tuple[Catalogue, Roster]:
    catalogue, _ = await uow.catalogues.current()
    return catalogue, uow.roster


async def describe_service(cmd: DescribeService, uow: UnitOfWork) -> tuple[Category, Roster]:
    catalogue, _ = await uow.catalogues.current()
    category = next((c for c in catalogue.categories if c.code == cmd.service_code), None)
    if category is None:
        raise NotFound(f"service_code: no service {cmd.service_code!r}", code="open311.unknown_service")
    return category, uow.roster


async def list_requests(cmd: ListRequests, uow: UnitOfWork) -> Requests:
    scope = Scope(township=True) if cmd.actor is None else scope_for(cmd.actor, uow.roster)
    start = cmd.start
    if cmd.case_ids is None and cmd.start is None and cmd.end is None:
        start = uow.now - DEFAULT_WINDOW
    filters = CaseFilter(case_ids=cmd.case_ids, categories=cmd.service_codes, open=cmd.open,
                         occurred_from=start, occurred_until=cmd.end, public_only=cmd.actor is None)
    rows = await uow.reads.page(scope, filters, uow.now, limit=MAX_REQUESTS)
    catalogue, _ = await uow.catalogues.current()
    return Requests(rows, uow.roster, catalogue, full=cmd.actor is not None)


def request_view(row: CaseRow, roster: Roster, catalogue: Catalogue, *, full: bool) -> dict[str, Any]:
    """A case as a GeoReport request; `full` adds the description."""
    category = next((c for c in catalogue.categories if c.code == row["category"]), None)
    village = next((v.name for v in roster.villages() if v.code == row["village_code"]), row["village_code"])
    return {"service_request_id": row["case_id"], "status": "open" if row["is_open"] else "closed",
            "status_notes": None, "service_name": category.label if category else row["category"],
            "service_code": row["category"], "description": row["summary"] if full else None,
            "agency_responsible": _agency(roster, row["owner_cadre_id"]), "service_notice": None,
            "requested_datetime": row["occurred_at"], "updated_datetime": row["updated_at"],
            "expected_datetime": row["next_due_at"], "address": village, "address_id": row["village_code"],
            "zipcode": None, "lat": None, "long": None, "media_url": None}


def _agency(roster: Roster, cadre_id: str) -> str | None:
    if not cadre_id or not roster.has_cadre(cadre_id):
        return None
    return roster.unit(roster.cadre(cadre_id).unit_code).name
