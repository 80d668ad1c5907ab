"""First-run preparation shared by `minqing up` and the tests: topics, demo roster, logins."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from infra.bootstrap import utc_now
from infra.db import roster_repo
from infra.db.engine import create_engine
from infra.demo.township import demo_roster
from infra.roster_import import import_roster
from infra.runtime.embedded import Endpoints
from infra.settings import Settings
from infra.tokens import console_principal, create_token
from infra.topics import ensure_topics


async def prepare_system(settings: Settings, endpoints: Endpoints, *, demo: bool) -> dict[str, str]:
    """Create topics; with `demo`, load the demo township (once) and issue demo logins."""
    await ensure_topics(settings, endpoints.kafka_url)
    engine = create_engine(endpoints.database_url, pool_size=2)
    try:
        logins: dict[str, str] = {}
        async with engine.begin() as conn:
            has_roster = await roster_repo.latest_snapshot(conn) is not None
        console = console_principal()
        if demo and not has_roster:
            await import_roster(engine, demo_roster(), "demo township", utc_now(), by=console)
        async with engine.begin() as conn:
            now = utc_now()
            logins["admin"] = await create_token(conn, role="admin", cadre_id=None, now=now,
                                                 ttl=timedelta(days=7), label="minqing up", issued_by=console)
            if demo:
                logins["operator (t-op1)"] = await create_token(
                    conn, role="operator", cadre_id="t-op1", now=now, ttl=timedelta(days=7), label="demo",
                    issued_by=console)
                logins["leader (t-sec)"] = await create_token(
                    conn, role="leader", cadre_id="t-sec", now=now, ttl=timedelta(days=7), label="demo",
                    issued_by=console)
        return logins
    finally:
        await engine.dispose()


async def current_roster_document(endpoints: Endpoints) -> dict[str, Any]:
    engine = create_engine(endpoints.database_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            snapshot = await roster_repo.latest_snapshot(conn)
    finally:
        await engine.dispose()
    return dict(snapshot[1]) if snapshot else demo_roster()
