"""UI-only reads: who am I, the directory for pickers, counts by village."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import CurrentCaller, ReaderCaller, Services
from api.web.counts import counts_by_village, totals
from api.web.directory import directory

router = APIRouter(prefix="/ui/api", tags=["web"], include_in_schema=False)


@router.get("/me")
async def me(caller: CurrentCaller) -> dict[str, Any]:
    cadre = caller.roster.cadre(caller.cadre_id) if caller.cadre_id and caller.roster.has_cadre(caller.cadre_id) else None
    return {"role": caller.role, "cadre_id": caller.cadre_id, "name": cadre.name if cadre else None,
            "posts": list(cadre.posts) if cadre else [], "is_leader": caller.is_leader}


@router.get("/directory")
async def cadre_directory(svc: Services, caller: CurrentCaller) -> dict[str, Any]:
    return directory(caller.roster, svc.clock())


@router.get("/village-counts")
async def village_counts(svc: Services, caller: ReaderCaller) -> dict[str, Any]:
    async with svc.engine.connect() as conn:
        rows = await counts_by_village(conn, caller.scope, caller.roster, svc.clock())
    return {"villages": rows, "totals": totals(rows)}
