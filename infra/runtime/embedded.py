"""Start (or attach to) the embedded broker and PostgreSQL under MINQING_DATA_DIR.

`minqing up` owns the runtime; a later `minqing api` or `minqing worker` with the
same data dir and no URLs set attaches to it through `runtime.json` instead of
starting a second PostgreSQL on the same files.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import psutil

from infra.runtime.broker import EmbeddedBroker
from infra.runtime.postgres import EmbeddedPostgres

_STATE_FILE = "runtime.json"


@dataclass(frozen=True)
class Endpoints:
    kafka_url: str
    database_url: str


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
    def pids(self) -> list[int]:
        return [pid for pid in (self._broker and self._broker.pid, self._postgres and self._postgres.pid) if pid]

    def _write_state(self) -> None:
        state = {"pid": os.getpid(), "kafka_url": self.kafka_url, "database_url": self.database_url}
        (self.data_dir / _STATE_FILE).write_text(json.dumps(state))

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
    return {"kafka_url": state.get("kafka_url"), "database_url": state.get("database_url")}
