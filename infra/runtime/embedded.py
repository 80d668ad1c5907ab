"""Start (or attach to) the embedded broker and PostgreSQL under MINQING_DATA_DIR.

`minqing up` owns the runtime; a later `minqing api` or `minqing worker` with the
same data dir and no URLs set attaches to it through `runtime.json` instead of
starting a second PostgreSQL on the same files. The URLs carry the database passwords,
so `runtime.json` is readable by its owner only, like the secrets file beside it.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import psutil

from infra.runtime.broker import EmbeddedBroker
from infra.runtime.postgres import EmbeddedPostgres
from infra.runtime.secrets import write_private

_STATE_FILE = "runtime.json"


@dataclass(frozen=True)
class Endpoints:
    kafka_url: str
    database_url: str  # the application's role
    owner_database_url: str = ""  # the schema owner's role; empty: the application's is the owner too

    @property
    def migration_url(self) -> str:
        """Who runs migrations, backups and restores: the owner."""
        return self.owner_database_url or self.database_url


class EmbeddedRuntime:
    def __init__(self, data_dir: Path, *, broker: bool = True, postgres: bool = True) -> None:
        self.data_dir = data_dir.resolve()
        self._broker = EmbeddedBroker(self.data_dir / "broker.log") if broker else None
        self._postgres = EmbeddedPostgres(self.data_dir / "postgres", self.data_dir / "postgres.log") if postgres else None

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            if self._postgres:
                self._postgres.start()
            if self._broker:
                self._broker.start()
        except BaseException:
            self.stop()
            raise
        self._write_state()

    def stop(self) -> None:
        if self._broker:
            self._broker.stop()
        if self._postgres:
            self._postgres.stop()
        (self.data_dir / _STATE_FILE).unlink(missing_ok=True)

    @property
    def postgres(self) -> EmbeddedPostgres | None:
        """The database process, for tests that stop and restart it under a running system."""
        return self._postgres

    @property
    def kafka_url(self) -> str | None:
        return self._broker.url if self._broker else None

    @property
    def database_url(self) -> str | None:
        return self._postgres.url if self._postgres else None

    @property
    def owner_database_url(self) -> str | None:
        return self._postgres.owner_url if self._postgres else None

    @property
    def endpoints(self) -> Endpoints:
        return Endpoints(kafka_url=self.kafka_url or "", database_url=self.database_url or "",
                         owner_database_url=self.owner_database_url or "")

    @property
    def pids(self) -> list[int]:
        return [pid for pid in (self._broker and self._broker.pid, self._postgres and self._postgres.pid) if pid]

    def _write_state(self) -> None:
        state = {"pid": os.getpid(), "kafka_url": self.kafka_url, "database_url": self.database_url,
                 "owner_database_url": self.owner_database_url}
        write_private(self.data_dir / _STATE_FILE, json.dumps(state))

    def __enter__(self) -> EmbeddedRuntime:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def running_endpoints(data_dir: Path) -> dict[str, str | None] | None:
    """The URLs of a runtime another live Minqing process owns in `data_dir`, if any."""
    state_path = data_dir.resolve() / _STATE_FILE
    try:
        state = json.loads(state_path.read_text())
    except (OSError, ValueError):
        return None
    if not psutil.pid_exists(int(state.get("pid", 0))):
        return None
    return {key: state.get(key) for key in ("kafka_url", "database_url", "owner_database_url")}
