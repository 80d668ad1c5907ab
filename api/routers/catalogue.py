"""The category catalogue and its handling time limits: the defaults, and an admin's changes
(which govern new cases within seconds: the deadline policy reads them)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import Admin, App, CurrentActor
from api.schemas.admin import CategoriesPublic, CategoryPublic, CategoryUpdate
from api.schemas.problems import answers
from api.strict import StrictQueryRoute
from infra.services.administration import ListCategories, PutCategory

router = APIRouter(route_class=StrictQueryRoute, prefix="/api/v1", tags=["admin"], responses=answers(401, 403))
Code = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[a-z_]+$")]


@router.get("/categories", response_model=CategoriesPublic)
async def categories(app: App, actor: CurrentActor) -> CategoriesPublic:
    return CategoriesPublic(items=[CategoryPublic(**c) for c in await app.handle(ListCategories(actor))])


@router.put("/admin/categories/{code}", response_model=CategoriesPublic)
async def put_category(code: Code, body: CategoryUpdate, app: App, actor: Admin) -> CategoriesPublic:
    listing = await app.handle(PutCategory(actor, code, body.label, body.handling_working_days))
    return CategoriesPublic(items=[CategoryPublic(**c) for c in listing])
