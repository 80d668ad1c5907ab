"""The case API on the real PostgreSQL: one app, a token per kind of caller, and cases
opened straight through the domain (no broker needed) so each test owns its cases."""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_api
from infra.bootstrap import Clock, bootstrap
from infra.case_opening import opened_case
from infra.db.case_repo import SqlCases
from infra.demo.township import demo_roster
from infra.tokens import create_token
from models.intake import HotlineCall
from models.roster import Roster
from tests.conftest import SHANGHAI, hotline_call

pytestmark = pytest.mark.integration

# name → (role, cadre)
PEOPLE: dict[str, tuple[str, str | None]] = {
    "admin": ("admin", None),
    "operator": ("operator", "t-op1"),
    "staff": ("petition_staff", "t-xf1"),
    "secretary": ("leader", "t-sec"),        # township party secretary: the whole township
    "lead1": ("leader", "t-lead1"),          # leader in charge of villages 1 and 2
    "lead3": ("leader", "t-lead3"),          # leader in charge of village 5
    "v1sec": ("cadre", "v1-sec"),            # branch secretary of village 1
    "v1dir": ("cadre", "v1-dir"),
    "v1m1": ("cadre", "v1-m1"),
    "v2dsec": ("cadre", "v2-dsec"),
}


@pytest.fixture(scope="session")
def roster() -> Roster:
    return Roster.from_contract(demo_roster())


@pytest.fixture(scope="session")
def app(engine: Any, endpoints: Any) -> FastAPI:
    return create_api(bootstrap(endpoints.database_url, engine=engine).app)


@pytest.fixture(scope="session")
async def tokens(engine: Any, logins: dict[str, str]) -> dict[str, str]:
    issued = {}
    async with engine.begin() as conn:
        for name, (role, cadre) in PEOPLE.items():
            issued[name] = await create_token(conn, role=role, cadre_id=cadre, now=Clock()(), label=f"test {name}")
    return issued


@pytest.fixture(scope="session")
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://minqing") as c:
        yield c


@pytest.fixture(scope="session")
def as_(client: httpx.AsyncClient, tokens: dict[str, str]) -> Callable[[str], dict[str, str]]:
    """Headers of a named caller: `await client.get(url, headers=as_("v1dir"))`."""
    return lambda name: {"Authorization": f"Bearer {tokens[name]}"}


@pytest.fixture(scope="session")
def open_case(engine: Any, roster: Roster) -> Callable[..., Any]:
    """Open (and route) a case through the domain and store it, as intake would."""
    async def open_(**overrides: Any) -> dict[str, Any]:
        event = HotlineCall.model_validate(hotline_call(f"api-{uuid.uuid4().hex[:16]}", **overrides))
        opening = opened_case("hotline.calls", event, roster, datetime.now(SHANGHAI))
        async with engine.begin() as conn:
            repo = SqlCases(conn)
            assert await repo.add_if_new(opening)
            await repo.apply_counts()
        return opening.row
    return open_


def at(hours: float = 0) -> str:
    return (datetime.now(SHANGHAI) + timedelta(hours=hours)).replace(microsecond=0).isoformat()
