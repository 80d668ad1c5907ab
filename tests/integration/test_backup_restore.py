"""`minqing backup` on one embedded PostgreSQL, `minqing restore` on another (its own data
dir, its own passwords, already holding other data): every table comes back row for row,
the grants with it, and the audit chain stays intact."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from infra.bootstrap import bootstrap
from infra.case_opening import opened_case
from infra.db import audit, dead_letters
from infra.db.case_repo import SqlCases
from infra.db.engine import create_engine
from infra.db.migrate import upgrade_to_head
from infra.demo.township import demo_roster
from infra.runtime.embedded import EmbeddedRuntime
from infra.services.administration import ImportRoster
from infra.tokens import CONSOLE, create_token
from models.intake import HotlineCall
from models.roster import Roster
from tests.conftest import SHANGHAI, hotline_call

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_databases(tmp_path: Path) -> Iterator[tuple[EmbeddedRuntime, EmbeddedRuntime]]:
    with EmbeddedRuntime(tmp_path / "a", broker=False) as first, EmbeddedRuntime(tmp_path / "b", broker=False) as second:
        yield first, second


def _minqing(runtime: EmbeddedRuntime, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MINQING_DATABASE_URL": runtime.database_url or "",
           "MINQING_OWNER_DATABASE_URL": runtime.owner_database_url or ""}
    return subprocess.run([sys.executable, "-m", "infra.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=180)


async def _fill(url: str) -> None:
    """Some of everything: a roster, cases, a repeat link, tokens, a dead letter, audit entries."""
    engine = create_engine(url, pool_size=1)
    now = datetime.now(timezone.utc)
    roster = Roster.from_contract(demo_roster())
    try:
        await bootstrap("", engine=engine).app.handle(ImportRoster(CONSOLE, demo_roster(), "backup test"))
        async with engine.begin() as conn:
            repo = SqlCases(conn)
            for n in range(5):
                event = HotlineCall.model_validate(hotline_call(f"bk-{n}-{uuid.uuid4().hex[:8]}"))
                opening = opened_case("hotline.calls", event, roster, datetime.now(SHANGHAI))
                assert await repo.add_if_new(opening)
            await repo.apply_counts()
            await create_token(conn, role="operator", cadre_id="t-op1", now=now, issued_by=CONSOLE)
            await dead_letters.record(conn, topic="hotline.calls", partition=0, offset=7, key=b"k", value=b"{oops",
                                      error="not valid JSON", at=now)
            await audit.record(conn, at=now, who=CONSOLE, action="unmasked_view", case_id="x",
                               fields=["phone"])
    finally:
        await engine.dispose()


async def _tables(url: str) -> dict[str, list[str]]:
    """Every table of the schema, every row as text, in a stable order."""
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            names = (await conn.execute(text(
                "select tablename from pg_tables where schemaname = 'public' order by tablename"))).scalars().all()
            return {name: list((await conn.execute(text(f'select t::text from "{name}" t order by 1'))).scalars())
                    for name in names}
    finally:
        await engine.dispose()


async def test_a_restore_brings_back_every_table(two_databases: tuple[EmbeddedRuntime, EmbeddedRuntime],
                                                 tmp_path: Path) -> None:
    source, target = two_databases
    await asyncio.to_thread(upgrade_to_head, source.owner_database_url or "")
    await _fill(source.database_url or "")
    await asyncio.to_thread(upgrade_to_head, target.owner_database_url or "")
    await _fill(target.database_url or "")  # other cases, other tokens: all to be replaced
    before = await _tables(source.database_url or "")
    assert len(before["cases"]) == 5 and before["audit_log"] and before["roster_snapshots"]

    file = tmp_path / "minqing.backup"
    made = _minqing(source, "backup", str(file))
    assert made.returncode == 0, made.stderr
    assert file.stat().st_mode & 0o077 == 0
    restored = _minqing(target, "restore", str(file), "--yes")
    assert restored.returncode == 0, restored.stderr

    after = await _tables(target.database_url or "")  # read as the application: its grants came back too
    assert set(after) == set(before)
    differing = [name for name in before if name != "audit_log" and after[name] != before[name]]
    assert differing == []
    assert after["audit_log"][:len(before["audit_log"])] == before["audit_log"]
    assert len(after["audit_log"]) == len(before["audit_log"]) + 1  # "restore", chained on
    verified = _minqing(target, "audit", "verify")
    assert verified.returncode == 0, verified.stderr

    engine = create_engine(target.database_url or "", pool_size=1)
    try:
        with pytest.raises(Exception, match="permission denied for table audit_log"):
            async with engine.begin() as conn:
                await conn.execute(text("delete from audit_log"))
    finally:
        await engine.dispose()


def test_a_file_that_is_no_backup_changes_nothing(two_databases: tuple[EmbeddedRuntime, EmbeddedRuntime],
                                                   tmp_path: Path) -> None:
    _, target = two_databases
    upgrade_to_head(target.owner_database_url or "")
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(b"not a backup at all")
    refused = _minqing(target, "restore", str(bogus), "--yes")
    assert refused.returncode == 1 and "not a backup" in refused.stderr
    assert asyncio.run(_tables(target.database_url or ""))["alembic_version"]
