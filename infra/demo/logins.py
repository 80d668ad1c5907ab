"""Password logins for the demo township, so a first-time visitor can log in by name.

Every demo cadre logs in with their cadre id and `DEMO_PASSWORD`; the role follows the
post: operators, petition staff, township leaders, and village cadres. They are marked as
demo logins: importing any other roster removes them (`infra.services.administration`)."""
from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from infra.auth.logins import add_demo_password
from infra.tokens import CONSOLE
from models import posts as P
from models.access import Role

DEMO_PASSWORD = "minqing-demo"
_ROLE_BY_POST = {P.OPERATOR: Role.OPERATOR.value, P.PETITION_STAFF: Role.PETITION_STAFF.value,
                 P.PARTY_SECRETARY: Role.LEADER.value, P.LEADER_IN_CHARGE: Role.LEADER.value}


def demo_role(cadre: dict[str, Any], township_code: str) -> str:
    if cadre["unit_code"] == township_code:
        return next((_ROLE_BY_POST[p] for p in cadre["posts"] if p in _ROLE_BY_POST), Role.CADRE.value)
    return Role.CADRE.value


async def set_demo_passwords(engine: AsyncEngine, roster: dict[str, Any], now: datetime) -> list[str]:
    """Create a demo login per cadre of `roster` that has none yet; returns the usernames."""
    township = next(u["code"] for u in roster["units"] if u["kind"] == "township")
    cadres = roster["cadres"]
    await asyncio.gather(*(add_demo_password(engine, username=c["cadre_id"], password=DEMO_PASSWORD,
                                             role=demo_role(c, township), cadre_id=c["cadre_id"], now=now, by=CONSOLE)
                           for c in cadres))
    return [c["cadre_id"] for c in cadres]


async def set_demo_passwords_at(database_url: str, roster: dict[str, Any], now: datetime) -> list[str]:
    """The same, with an engine of its own, for `minqing up --demo` (the composition root);
    nothing once a real roster was imported."""
    from infra.db import roster_repo
    from infra.db.engine import create_engine
    from infra.demo.township import is_demo_roster

    engine = create_engine(database_url, pool_size=2)
    try:
        async with engine.connect() as conn:
            latest = await roster_repo.latest_snapshot(conn)
        if latest is None or not is_demo_roster(latest[1]):
            return []
        return await set_demo_passwords(engine, roster, now)
    finally:
        await engine.dispose()
