"""The category catalogue and its handling time limits: the defaults, and an admin's changes.

Changes are stored in `category_limits`; the worker's deadline policy reads the catalogue
through `catalogue_now` (see the report: wiring it into intake is the intake owner's step)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from api.deps import AdminPrincipal, CurrentPrincipal, Services
from api.schemas.admin import CategoriesPublic, CategoryPublic, CategoryUpdate
from api.schemas.problems import answers
from infra.db.tables import category_limits
from models.categories import DEFAULT_CATALOGUE, Catalogue

router = APIRouter(prefix="/api/v1", tags=["admin"], responses=answers(401, 403))
Code = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[a-z_]+$")]


async def catalogue_now(conn: AsyncConnection) -> tuple[Catalogue, set[str]]:
    rows = (await conn.execute(select(category_limits))).all()
    overrides = {row.code: {"label": row.label, "handling_working_days": row.handling_working_days} for row in rows}
    return DEFAULT_CATALOGUE.with_overrides(overrides), set(overrides)


async def _listing(svc: Services) -> CategoriesPublic:
    async with svc.engine.connect() as conn:
        catalogue, changed = await catalogue_now(conn)
    return CategoriesPublic(items=[CategoryPublic(code=c.code, label=c.label, handling_working_days=c.handling_working_days,
                                                  overridden=c.code in changed) for c in catalogue.categories])


@router.get("/categories", response_model=CategoriesPublic)
async def categories(svc: Services, principal: CurrentPrincipal) -> CategoriesPublic:
    return await _listing(svc)


@router.put("/admin/categories/{code}", response_model=CategoriesPublic)
async def put_category(code: Code, body: CategoryUpdate, svc: Services, principal: AdminPrincipal) -> CategoriesPublic:
    values = {"label": body.label, "handling_working_days": body.handling_working_days, "updated_at": svc.clock()}
    statement = insert(category_limits).values(code=code, **values)
    async with svc.engine.begin() as conn:
        await conn.execute(statement.on_conflict_do_update(index_elements=[category_limits.c.code], set_=values))
    return await _listing(svc)
