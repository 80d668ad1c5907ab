"""The embedded broker and PostgreSQL: data survives a restart, no process outlives us."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest
from sqlalchemy import text

from infra.db.engine import create_engine
from infra.db.migrate import upgrade_to_head
from infra.runtime.embedded import EmbeddedRuntime

pytestmark = pytest.mark.integration


def _gone(pids: list[int], timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE for pid in pids):
            return True
        time.sleep(0.1)
    return False


async def _scalar(url: str, sql: str) -> object:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            return (await conn.execute(text(sql))).scalar()
    finally:
        await engine.dispose()


def test_data_survives_a_stop_and_start_and_nothing_is_left_running(tmp_path: Path) -> None:
    runtime = EmbeddedRuntime(tmp_path)
    runtime.start()
    first_pids = runtime.pids
    assert len(first_pids) == 2
    upgrade_to_head(runtime.owner_database_url or "")
    asyncio.run(_scalar(runtime.database_url or "",
                        "insert into roster_snapshots (imported_at, source, document) "
                        "values (now(), 'survivor', '{}'::jsonb) returning id"))
    runtime.stop()
    assert _gone(first_pids)

    runtime.start()
    try:
        assert asyncio.run(_scalar(runtime.database_url or "",
                                   "select count(*) from roster_snapshots where source = 'survivor'")) == 1
    finally:
        second_pids = runtime.pids
        runtime.stop()
    assert _gone(second_pids)


def test_a_killed_owner_takes_its_broker_and_database_with_it(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from infra.runtime.embedded import EmbeddedRuntime
        runtime = EmbeddedRuntime(Path({str(tmp_path)!r}))
        runtime.start()
        print(*runtime.pids, flush=True)
        time.sleep(120)
    """)
    owner = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                             cwd=Path(__file__).resolve().parents[2])
    assert owner.stdout is not None
    pids = [int(pid) for pid in owner.stdout.readline().split()]
    assert len(pids) == 2 and all(psutil.pid_exists(pid) for pid in pids)

    os.kill(owner.pid, signal.SIGKILL)
    owner.wait(10)

    assert _gone(pids), "broker or PostgreSQL outlived a kill -9 of its owner"
    # and the data dir is usable again straight away
    with EmbeddedRuntime(tmp_path) as again:
        assert len(again.pids) == 2


def test_a_data_dir_from_before_passwords_is_made_to_ask_for_them(tmp_path: Path) -> None:
    from infra.runtime.postgres import EmbeddedPostgres, bin_dir

    legacy = EmbeddedPostgres(tmp_path / "postgres", tmp_path / "postgres.log")
    made = subprocess.run([str(bin_dir() / "initdb"), "-D", str(legacy.pgdata), "--auth=trust", "--encoding=UTF8",
                           "--locale=C", "-U", "postgres"], capture_output=True, text=True, user=legacy._system_user())
    assert made.returncode == 0, made.stderr

    with EmbeddedRuntime(tmp_path, broker=False) as runtime:
        assert "trust" not in (legacy.pgdata / "pg_hba.conf").read_text()
        upgrade_to_head(runtime.owner_database_url or "")
        assert asyncio.run(_scalar(runtime.database_url or "", "select current_user")) == "minqing_app"
        without = (runtime.database_url or "").replace(f":{runtime.postgres.secrets.app}@", "@")  # type: ignore[union-attr]
        with pytest.raises(Exception, match="password"):
            asyncio.run(_scalar(without, "select 1"))
