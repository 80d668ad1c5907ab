"""Command-line safeguards of the petitioners' data, for `infra.cli` to register:

    minqing audit verify          exit 0 when the audit chain is intact, else 1 naming the first broken entry
    minqing backup FILE           the whole database, as its owner (pg_dump custom format, mode 0600)
    minqing restore FILE          replace the database's contents with a backup, in one transaction
    minqing retention run         redact raw events older than MINQING_RETENTION_DAYS

Each needs only the database: with the embedded one and no `minqing up` running, it is
started for the command (no broker)."""
from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

T = TypeVar("T")


def _settings():  # type: ignore[no-untyped-def]
    from infra.settings import Settings

    try:
        return Settings()
    except ValidationError as error:
        raise SystemExit(f"minqing: invalid settings: {error}") from None


def _with_database(work: Callable[..., Awaitable[T]], *, owner: bool = False) -> T:
    """Run `work(engine, endpoints)` on the application's (or the owner's) connection."""
    from infra.bootstrap import endpoints
    from infra.db.engine import create_engine

    with endpoints(_settings(), broker=False) as ep:
        async def run() -> T:
            engine = create_engine(ep.migration_url if owner else ep.database_url, pool_size=1)
            try:
                return await work(engine, ep)
            finally:
                await engine.dispose()
        return asyncio.run(run())


def cmd_audit_verify(args: argparse.Namespace) -> None:
    from infra.db import audit

    async def verify(engine, ep):  # type: ignore[no-untyped-def]
        async with engine.connect() as conn:
            return await audit.verify(conn)

    broken, walked = _with_database(verify)
    if broken is not None:
        raise SystemExit(f"minqing: the audit chain is broken at {broken}; the {walked.count} entries before it "
                         "are intact")
    print(f"minqing: the audit chain is intact: {walked.count} entries, head #{walked.head_seq} "
          f"{walked.previous_hash} (note the head elsewhere: a cut-off tail leaves a shorter valid chain)")


def cmd_backup(args: argparse.Namespace) -> None:
    from infra.backup import BackupFailed, backup

    async def dump(engine, ep):  # type: ignore[no-untyped-def]
        await asyncio.to_thread(backup, ep.migration_url, Path(args.file))

    try:
        _with_database(dump, owner=True)
    except BackupFailed as error:
        raise SystemExit(f"minqing: {error}") from None
    print(f"minqing: backed up to {args.file} (readable by you only: it holds every petitioner's data)")


def cmd_restore(args: argparse.Namespace) -> None:
    from infra.backup import BackupFailed, restore
    from infra.bootstrap import utc_now
    from infra.db import audit
    from infra.tokens import CONSOLE
    from models.audit import RESTORE

    if not args.yes:
        answer = input(f"Replace everything in the database with {args.file}? Type 'restore' to go on: ")
        if answer.strip() != "restore":
            raise SystemExit("minqing: nothing restored")

    async def load(engine, ep):  # type: ignore[no-untyped-def]
        await asyncio.to_thread(restore, ep.migration_url, Path(args.file))
        async with engine.begin() as conn:  # the restored chain goes on, saying it was restored
            await audit.record(conn, at=utc_now(), who=CONSOLE, action=RESTORE, file=str(args.file))

    try:
        _with_database(load, owner=True)
    except BackupFailed as error:
        raise SystemExit(f"minqing: {error}") from None
    print(f"minqing: restored {args.file}; restart running workers and APIs")


def cmd_retention_run(args: argparse.Namespace) -> None:
    from infra.bootstrap import utc_now
    from infra.retention import run_retention
    from infra.tokens import CONSOLE

    days = args.days or _settings().retention_days
    if days < 1:
        raise SystemExit("minqing: --days must be 1 or more")
    report = _with_database(lambda engine, ep: run_retention(engine, utc_now(), days, by=CONSOLE))
    print(f"minqing: {report}")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = sub.add_parser("audit", help="the audit log").add_subparsers(dest="audit_command", required=True)
    audit.add_parser("verify", help="check the audit log's hash chain (exit 1 at the first broken entry)") \
        .set_defaults(func=cmd_audit_verify)
    backup = sub.add_parser("backup", help="back the database up to FILE (as its owner)")
    backup.add_argument("file")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="replace the database's contents with a backup FILE")
    restore.add_argument("file")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(func=cmd_restore)
    retention = sub.add_parser("retention", help="personal data retention") \
        .add_subparsers(dest="retention_command", required=True)
    run = retention.add_parser("run", help="redact raw events older than MINQING_RETENTION_DAYS")
    run.add_argument("--days", type=int, default=None, help="this run only: a period other than the setting's")
    run.set_defaults(func=cmd_retention_run)
