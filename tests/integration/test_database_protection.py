"""The embedded PostgreSQL on the real server: passwords for everyone, an application role
that can only append to the audit log, a hash chain `minqing audit verify` checks, errors
without personal data, and retention that redacts raw events."""
from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from infra.bootstrap import bootstrap
from infra.case_opening import CaseOpening, opened_case
from infra.db import audit, dead_letters
from infra.db.case_repo import SqlCases
from infra.db.engine import create_engine
from infra.db.tables import audit_log, case_links, cases, outgoing_events
from infra.db.tables import dead_letters as dead_letters_table
from infra.retention import run_retention
from infra.runtime.embedded import EmbeddedRuntime, Endpoints
from infra.services.intake import IntakeItem
from infra.services.intake_batch import BatchIntake
from infra.tokens import CONSOLE, Principal
from models.intake import HotlineCall
from models.roster import Roster
from infra.demo.township import demo_roster
from tests.conftest import SHANGHAI, hotline_call

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
NOWHERE = "/nonexistent/.pgpass"  # asyncpg would otherwise look for a password file
QUIET_VILLAGE = "330782101205"  # cases of its own, out of the inboxes other tests count


async def _connect(url: str, **overrides: Any) -> asyncpg.Connection:
    parsed = make_url(url)
    options = {"host": parsed.host, "port": parsed.port, "user": parsed.username, "database": parsed.database,
               "password": parsed.password, "passfile": NOWHERE, **overrides}
    return await asyncpg.connect(**options)


def _minqing(endpoints: Endpoints, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MINQING_DATABASE_URL": endpoints.database_url,
           "MINQING_OWNER_DATABASE_URL": endpoints.migration_url}
    return subprocess.run([sys.executable, "-m", "infra.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("role", ["postgres", "minqing_owner", "minqing_app"])
async def test_a_connection_without_the_password_is_refused(role: str, runtime: EmbeddedRuntime,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = runtime.database_url or ""
    for password in (None, "guessed"):
        with pytest.raises(asyncpg.InvalidPasswordError):
            await _connect(url, user=role, password=password)
    assert runtime.postgres is not None
    with pytest.raises(asyncpg.InvalidPasswordError):  # the local socket asks too
        await _connect(url, host=str(runtime.postgres.pgdata), user=role, password=None)
    connection = await _connect(url)  # with it, the application gets in
    assert await connection.fetchval("select current_user") == "minqing_app"
    await connection.close()


def test_the_passwords_are_kept_for_their_owner_only(runtime: EmbeddedRuntime) -> None:
    for name in ("postgres-secrets.json", "runtime.json"):
        assert (runtime.data_dir / name).stat().st_mode & 0o077 == 0, name
    assert runtime.postgres is not None
    state = orjson.loads((runtime.data_dir / "runtime.json").read_bytes())
    assert state["database_url"] == runtime.database_url and "minqing_app" in state["database_url"]
    assert "minqing_owner" in state["owner_database_url"]


async def test_the_application_role_cannot_change_or_remove_audit_entries(engine: Any) -> None:
    async with engine.begin() as conn:
        await audit.record(conn, at=datetime.now(timezone.utc), who=CONSOLE, action="test_entry")
    for statement in ("delete from audit_log", "update audit_log set action = 'x'", "truncate audit_log"):
        with pytest.raises(Exception) as refused:
            async with engine.begin() as conn:
                await conn.execute(text(statement))
        assert isinstance(refused.value.orig.__cause__, asyncpg.InsufficientPrivilegeError), statement  # type: ignore[attr-defined]
        assert "permission denied for table audit_log" in str(refused.value)


async def test_the_owner_is_stopped_by_the_append_only_trigger(endpoints: Endpoints, engine: Any) -> None:
    owner = await _connect(endpoints.migration_url)
    try:
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await owner.execute("delete from audit_log")
    finally:
        await owner.close()


async def test_audit_verify_finds_a_tampered_entry(endpoints: Endpoints, engine: Any) -> None:
    who = Principal(role="operator", cadre_id="t-op1", token_id="f" * 64, username="t-op1", address="10.0.0.7")
    async with engine.begin() as conn:
        seq = await audit.record(conn, at=datetime.now(timezone.utc), who=who, action="caller_lookup",
                                 phone="138******78", matches=2)
        await audit.record(conn, at=datetime.now(timezone.utc), who=who, action="unmasked_view", case_id="c-1")
    intact = _minqing(endpoints, "audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert "intact" in intact.stdout

    owner = await _connect(endpoints.migration_url)
    try:  # a deliberate rewrite, as the owner with the trigger switched off
        await owner.execute("alter table audit_log disable trigger audit_log_append_only")
        await owner.execute("update audit_log set address = '10.9.9.9' where seq = $1", seq)
        broken = _minqing(endpoints, "audit", "verify")
        assert broken.returncode == 1
        assert f"audit entry #{seq} " in broken.stderr and "changed" in broken.stderr
    finally:
        await owner.execute("update audit_log set address = '10.0.0.7' where seq = $1", seq)
        await owner.execute("alter table audit_log enable trigger audit_log_append_only")
        await owner.close()
    assert _minqing(endpoints, "audit", "verify").returncode == 0


async def test_audit_verify_finds_a_removed_entry(endpoints: Endpoints, engine: Any) -> None:
    async with engine.begin() as conn:
        for n in range(3):
            seq = await audit.record(conn, at=datetime.now(timezone.utc), who=CONSOLE, action="test", n=n)
    removed = seq - 1
    owner = await _connect(endpoints.migration_url)
    try:
        await owner.execute("alter table audit_log disable trigger audit_log_append_only")
        row = await owner.fetchrow("delete from audit_log where seq = $1 returning *", removed)
        broken = _minqing(endpoints, "audit", "verify")
        assert broken.returncode == 1
        assert f"audit entry #{removed + 1} " in broken.stderr and f"expected entry #{removed}" in broken.stderr
    finally:
        columns = list(row.keys())
        await owner.execute(f"insert into audit_log ({', '.join(columns)}) values "
                            f"({', '.join(f'${i + 1}' for i in range(len(columns)))})", *row.values())
        await owner.execute("alter table audit_log enable trigger audit_log_append_only")
        await owner.close()
    assert _minqing(endpoints, "audit", "verify").returncode == 0


async def test_concurrent_writers_never_fork_the_chain(endpoints: Endpoints, engine: Any) -> None:
    writers = [create_engine(endpoints.database_url, pool_size=1) for _ in range(4)]

    async def write(own: Any, n: int) -> None:
        for i in range(10):
            async with own.begin() as conn:
                await audit.record(conn, at=datetime.now(timezone.utc), who=CONSOLE,
                                   action="concurrency_test", writer=n, i=i)
    try:
        await asyncio.gather(*(write(own, n) for n, own in enumerate(writers)))
    finally:
        await asyncio.gather(*(own.dispose() for own in writers))
    async with engine.connect() as conn:
        broken, walked = await audit.verify(conn)
    assert broken is None
    async with engine.connect() as conn:
        seqs = list((await conn.execute(select(audit_log.c.seq).order_by(audit_log.c.seq))).scalars())
    assert seqs == list(range(1, walked.count + 1))


async def test_an_sql_errors_log_line_and_dead_letter_carry_no_parameters(
        engine: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    phone = f"137{uuid.uuid4().int % 10**8:08d}"

    async def failing_run(self: BatchIntake, events: Any) -> Any:  # a bug that feeds a phone to the wrong column
        for _, event in events:
            await self.uow.connection.execute(  # type: ignore[attr-defined]
                text("select cast(cast(:value as text) as int)"), {"value": event.caller.phone})
        raise AssertionError("unreachable")

    monkeypatch.setattr(BatchIntake, "run", failing_run)
    app = bootstrap("", engine=engine).app
    event = hotline_call(f"sqlerr-{uuid.uuid4().hex[:12]}", caller={"name": "钱七", "phone": phone,
                                                                     "id_number": None, "anonymous": False})
    with caplog.at_level(logging.ERROR, logger="infra.services.intake"):
        outcomes = await app.ingest([IntakeItem("hotline.calls", orjson.dumps(event))])

    assert outcomes[0].rejected
    reason = outcomes[0].decision.reason or ""
    assert reason.startswith("internal error:") and "out of range for type integer" in reason
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "unexpected failure taking in hotline.calls" in logged
    for text_ in (reason, logged):
        assert phone not in text_ and phone[3:] not in text_
    async with engine.connect() as conn:
        stored = await dead_letters.pending(conn, topic="hotline.calls", limit=100_000)
    assert any(letter["error"] == reason for letter in stored)


async def test_retention_redacts_old_raw_events_and_keeps_recent_ones(engine: Any, roster: Roster) -> None:
    now = datetime.now(timezone.utc)
    old, recent = now - timedelta(days=200), now - timedelta(days=2)
    phones = {when: f"136{uuid.uuid4().int % 10**8:08d}" for when in ("old", "recent")}
    rows, digests = {}, {}
    async with engine.begin() as conn:
        for when, at in (("old", old), ("recent", recent)):
            event = hotline_call(f"ret-{when}-{uuid.uuid4().hex[:10]}", caller={
                "name": "孙八", "phone": phones[when], "id_number": "330782199001011234", "anonymous": False},
                village_code=QUIET_VILLAGE, dialed_cadre_id="v5-dir")
            raw = orjson.dumps(event)
            opening = opened_case("hotline.calls", HotlineCall.model_validate(event), roster,
                                  datetime.now(SHANGHAI))
            old_enough = CaseOpening(opening.case, {**opening.record, "created_at": at})
            repo = SqlCases(conn)
            assert await repo.add_if_new(old_enough)
            await repo.apply_counts()
            await conn.execute(case_links.insert().values(source_topic="hotline.calls", source_event_id=event["event_id"] + "-r",
                                                          case_id=opening.row["case_id"], linked_at=at, event=event))
            await dead_letters.record(conn, topic="hotline.calls", partition=0, offset=1, key=b"k", value=raw,
                                      error="invalid event: test", at=at)
            digests[when] = hashlib.sha256(raw).hexdigest()
            sent = await conn.execute(outgoing_events.insert().values(
                topic="hotline.calls", key=b"k", value=raw, created_at=at, sent_at=at).returning(outgoing_events.c.id))
            rows[when] = (opening.row["case_id"], event["event_id"], sent.scalar_one())

    report = await run_retention(engine, now, 180, by=CONSOLE)
    assert report.cases >= 1 and report.dead_letters >= 1 and report.outgoing_events >= 1 and report.case_links >= 1

    for when in ("old", "recent"):
        case_id, event_id, outgoing_id = rows[when]
        async with engine.connect() as conn:
            stored = {
                "case": (await conn.execute(select(cases.c.event).where(cases.c.case_id == case_id))).scalar_one(),
                "link": (await conn.execute(select(case_links.c.event).where(
                    case_links.c.source_event_id == event_id + "-r"))).scalar_one(),
                "outgoing": (await conn.execute(select(outgoing_events.c.value).where(
                    outgoing_events.c.id == outgoing_id))).scalar_one().decode(),
            }
            letter = (await conn.execute(select(dead_letters_table).where(
                dead_letters_table.c.value_sha256 == digests[when]))).one()._mapping
        everything = orjson.dumps(stored).decode() + repr(letter["value"])
        if when == "old":
            assert phones["old"] not in everything and "孙八" not in everything and "330782199001011234" not in everything
            assert stored["case"]["event_id"] == event_id and stored["case"]["village_code"] == QUIET_VILLAGE
            assert "redacted_at" in stored["case"] and "redacted_at" in orjson.loads(stored["outgoing"])
            assert letter["value"] is None and letter["redacted_at"] is not None
        else:
            assert phones["recent"] in stored["case"]["caller"]["phone"] and phones["recent"] in stored["outgoing"]
            assert letter["value"] is not None
    again = await run_retention(engine, now, 180, by=CONSOLE)
    assert (again.cases, again.dead_letters, again.outgoing_events, again.case_links) == (0, 0, 0, 0)


@pytest.fixture(scope="session")
def roster() -> Roster:
    return Roster.from_contract(demo_roster())
