"""Each reliability test gets its own broker and PostgreSQL: counts must be exact."""
from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.reliability.harness import Pipeline


@pytest.fixture
async def pipeline(tmp_path: Path) -> AsyncIterator[Pipeline]:
    started = await Pipeline.start(tmp_path)
    try:
        yield started
    finally:
        await started.close()
