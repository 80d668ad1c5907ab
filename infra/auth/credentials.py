"""The unit of work's face over tokens and logins: what a use case (a roster import) must
end in its own transaction — the access of cadres it removes, and the demo logins."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from infra.auth.logins import remove_logins
from infra.tokens import revoke_tokens_of
from models.access import Actor


class SqlCredentials:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def revoke_cadres(self, cadre_ids: Sequence[str], *, by: Actor, at: datetime, reason: str) -> None:
        await revoke_tokens_of(self._conn, at, cadre_ids=cadre_ids, by=by, reason=reason)
        await remove_logins(self._conn, at, cadre_ids=cadre_ids, by=by, reason=reason)

    async def remove_demo_logins(self, *, by: Actor, at: datetime, reason: str) -> None:
        await remove_logins(self._conn, at, demo=True, by=by, reason=reason)
