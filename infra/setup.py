"""First-run preparation shared by `minqing up` and the tests: topics, demo roster, logins."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from infra.bootstrap import bootstrap, utc_now
from infra.db import roster_repo
from infra.demo.township import demo_roster
from infra.runtime.embedded import Endpoints
from infra.services.administration import ImportRoster
from infra.settings import Settings
from infra.tokens import create_token
from infra.topics import ensure_topics
from models.access import Actor, Role

SETUP = Actor(Role.ADMIN, username="minqing up", address="local")


async def prepare_system(settings: Settings, endpoints: Endpoints, *, demo: bool) -> dict[str, str]:
    """Create topics; with `demo`, load the demo township (once) and issue demo logins."""
    await ensure_topics(settings, endpoints.kafka_url)
    system = bootstrap(endpoints.database_url, pool_size=2)
    engine = system.engine
    try:
        logins: dict[str, str] = {}
        async with engine.begin() as conn:
            has_roster = await roster_repo.latest_snapshot(conn) is not None
        if demo and not has_roster:
            await system.app.handle(ImportRoster(SETUP, demo_roster(), "demo township"))
        async with engine.begin() as conn:
            now = utc_now()
            logins["admin"] = await create_token(conn, role=Role.ADMIN.value, cadre_id=None, now=now,
                                                 ttl=timedelta(days=7), label="minqing up",
                                                 issued_by=SETUP)
            if demo:
                logins["operator (t-op1)"] = await create_token(
                    conn, role=Role.OPERATOR.value, cadre_id="t-op1", now=now, ttl=timedelta(days=7), label="demo",
                    issued_by=SETUP)
                logins["leader (t-sec)"] = await create_token(
                    conn, role=Role.LEADER.value, cadre_id="t-sec", now=now, ttl=timedelta(days=7), label="demo",
                    issued_by=SETUP)
        return logins
    finally:
        await system.dispose()


async def current_roster_document(endpoints: Endpoints) -> dict[str, Any]:
    system = bootstrap(endpoints.database_url, pool_size=1)
    try:
        async with system.engine.connect() as conn:
            snapshot = await roster_repo.latest_snapshot(conn)
    finally:
        await system.dispose()
    return dict(snapshot[1]) if snapshot else demo_roster()
