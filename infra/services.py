"""Process-wide services built from endpoints (part of the composition root)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from infra.bootstrap import Clock
from infra.db.engine import create_engine
from infra.intake import IntakeService
from infra.roster_cache import RosterCache
from infra.runtime.embedded import Endpoints


@dataclass(frozen=True)
class CoreServices:
    engine: AsyncEngine
    rosters: RosterCache
    intake: IntakeService
    clock: Clock


def build_core(endpoints: Endpoints, *, pool_size: int = 10) -> CoreServices:
    """Creates objects only; the engine connects lazily, on first use, in the running loop."""
    clock = Clock()
    engine = create_engine(endpoints.database_url, pool_size=pool_size)
    rosters = RosterCache(engine)
    return CoreServices(engine=engine, rosters=rosters, intake=IntakeService(engine, rosters, clock), clock=clock)
