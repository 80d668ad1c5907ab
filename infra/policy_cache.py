"""The deadline policy in force — the default statutory limits with the category time
limits an admin set and the imported holiday schedules — cached per process and refreshed
at most once a second, so an admin's change governs new cases everywhere within seconds."""
from __future__ import annotations

import asyncio
import time

from sqlalchemy.ext.asyncio import AsyncEngine

from infra.db.admin_repos import SqlCalendars, SqlCatalogues
from infra.services.policy import policy_in_force
from models.deadlines import DEFAULT_POLICY, DeadlinePolicy


class PolicyCache:
    def __init__(self, engine: AsyncEngine, refresh_seconds: float = 1.0,
                 base: DeadlinePolicy = DEFAULT_POLICY) -> None:
        self._engine = engine
        self._refresh_seconds = refresh_seconds
        self._base = base
        self._policy = base
        self._checked_at = float("-inf")
        self._lock = asyncio.Lock()

    async def current(self) -> DeadlinePolicy:
        if time.monotonic() - self._checked_at < self._refresh_seconds:
            return self._policy
        async with self._lock:
            if time.monotonic() - self._checked_at >= self._refresh_seconds:
                async with self._engine.connect() as conn:
                    catalogue, _ = await SqlCatalogues(conn).current()
                    schedules = await SqlCalendars(conn).all()
                self._policy = policy_in_force(self._base, catalogue, schedules)
                self._checked_at = time.monotonic()
        return self._policy

    def invalidate(self) -> None:
        self._checked_at = float("-inf")
