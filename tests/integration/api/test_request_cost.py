"""What an authenticated request costs the database in statements (issue 12: round trips
are the largest share of the API's CPU per request, measured in bench/README.md)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import asyncpg
import httpx
import pytest

pytestmark = pytest.mark.integration


@pytest.fixture
def transaction_statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The BEGIN / ROLLBACK / COMMIT the driver sends (asyncpg's transactions go through
    `Connection.execute`), observed, not changed."""
    sent: list[str] = []
    execute = asyncpg.Connection.execute

    async def observed(self: asyncpg.Connection, query: str, *args: Any, **kwargs: Any) -> Any:
        if query.split(maxsplit=1)[0].upper().rstrip(";") in {"BEGIN", "ROLLBACK", "COMMIT"}:
            sent.append(query)
        return await execute(self, query, *args, **kwargs)

    monkeypatch.setattr(asyncpg.Connection, "execute", observed)
    yield sent


async def test_the_token_is_looked_up_without_a_transaction(
        client: httpx.AsyncClient, as_: Callable[[str], dict[str, str]], transaction_statements: list[str]) -> None:
    assert (await client.get("/api/v1/cases/counts", headers=as_("secretary"))).status_code == 200
    transaction_statements.clear()
    # a refused token: only the lookup runs (no unit of work, no cache), and it adds no
    # transaction to the one SQLAlchemy's pool ping wraps its `;` in at check-out
    assert (await client.get("/api/v1/cases/counts", headers={"Authorization": "Bearer mq_nobody"})).status_code == 401
    assert transaction_statements == ["BEGIN;", "ROLLBACK;"]
