"""PostgreSQL over TLS is asked for in the URL (`?ssl=verify-full`), which reaches asyncpg;
libpq's `sslmode=` (which asyncpg would reject at the first connection) is refused at start."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from infra.db.engine import create_engine
from infra.settings import Settings


def test_the_ssl_parameter_reaches_asyncpg() -> None:
    engine = create_engine("postgresql+asyncpg://minqing:pw@db.example:5432/minqing?ssl=verify-full", name=None)
    _, arguments = engine.dialect.create_connect_args(engine.url)
    assert arguments["ssl"] == "verify-full" and arguments["host"] == "db.example"


def test_libpq_sslmode_is_refused_with_the_right_spelling() -> None:
    with pytest.raises(ValidationError, match="takes `ssl=`"):
        Settings(_env_file=None, database_url="postgresql+asyncpg://u:p@db/minqing?sslmode=require")  # type: ignore[call-arg]
