"""Apply Alembic migrations programmatically (`minqing migrate`, `minqing up`)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_to_head(database_url: str) -> None:
    """Blocking: runs its own event loop, so call it from sync code or a worker thread."""
    command.upgrade(alembic_config(database_url), "head")
