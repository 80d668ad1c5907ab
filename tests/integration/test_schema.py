"""The Alembic migrations build exactly the schema `infra/db/tables.py` declares."""
from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from infra.db.tables import metadata

pytestmark = pytest.mark.integration


async def test_the_migrated_database_matches_the_declared_tables(engine: Any) -> None:
    async with engine.connect() as conn:
        differences = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata))
    assert differences == []
