"""The current roster, as the domain sees it, cached per process.

Every worker and API process keeps one; a cheap fingerprint query (latest snapshot
id, latest whereabouts change) at most once per `refresh_seconds` makes an import
or a whereabouts update reach routing within seconds, without a restart.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from infra.db import roster_repo
from infra.services.errors import NoRosterYet
from models.roster import Roster


class RosterCache:
    def __init__(self, engine: AsyncEngine, refresh_seconds: float = 1.0) -> None:
        self._engine = engine
        self._refresh_seconds = refresh_seconds
        self._roster: Roster | None = None
        self._version: Any = None
        self._checked_at = float("-inf")
        self._lock = asyncio.Lock()

    async def current_or_none(self) -> Roster | None:
        try:
            return await self.current()
        except NoRosterYet:
            return None

    async def current(self) -> Roster:
        if self._roster is not None and time.monotonic() - self._checked_at < self._refresh_seconds:
            return self._roster
        async with self._lock:
            await self._refresh()
        if self._roster is None:
            raise NoRosterYet()
        return self._roster

    def invalidate(self) -> None:
        self._checked_at = float("-inf")

    async def _refresh(self) -> None:
        async with self._engine.connect() as conn:
            version = await roster_repo.version(conn)
            if version != self._version or self._roster is None:
                snapshot = await roster_repo.latest_snapshot(conn)
                if snapshot is not None:
                    document = dict(snapshot[1])
                    known = {cadre.get("cadre_id") for cadre in document.get("cadres", ())}
                    # A sign left for a cadre a later import removed is ignored, not fatal.
                    document["whereabouts"] = [_jsonable(row) for row in await roster_repo.all_whereabouts(conn)
                                               if row["cadre_id"] in known]
                    self._roster = Roster.from_contract(document)
                    self._version = version
        self._checked_at = time.monotonic()


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    until = row.get("until")
    return {**row, "until": until.isoformat() if until is not None else None}
