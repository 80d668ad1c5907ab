"""UI-only reads: who am I (with what I may do), the directory for pickers, counts by village."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import App, CurrentActor, Reader
from infra.services.directory import Directory, WhoAmI
from infra.services.reads import CountByVillage

router = APIRouter(prefix="/ui/api", tags=["web"], include_in_schema=False)


@router.get("/me")
async def me(app: App, actor: CurrentActor) -> dict[str, Any]:
    return await app.handle(WhoAmI(actor))  # type: ignore[no-any-return]


@router.get("/directory")
async def cadre_directory(app: App, actor: CurrentActor) -> dict[str, Any]:
    return await app.handle(Directory(actor))  # type: ignore[no-any-return]


@router.get("/village-counts")
async def village_counts(app: App, actor: Reader) -> dict[str, Any]:
    return await app.handle(CountByVillage(actor))  # type: ignore[no-any-return]
