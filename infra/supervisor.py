"""`minqing up`: run the worker and the API as child processes until Ctrl-C.

Children get the endpoints in their environment, die with us (PR_SET_PDEATHSIG)
and are restarted if they crash; on Ctrl-C or SIGTERM they are stopped first,
then the embedded broker and database. What they print goes to `<log_dir>/<name>.log`,
keeping the terminal for the status.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from infra.runtime.embedded import Endpoints
from infra.runtime.processes import die_with_parent, stop_process
from infra.scrape import forget_process

log = logging.getLogger(__name__)


class Supervisor:
    def __init__(self, endpoints: Endpoints, commands: dict[str, list[str]], *, log_dir: Path | None = None,
                 env: dict[str, str] | None = None, metrics_dir: Path | None = None) -> None:
        self._env = {**os.environ, **(env or {}), "MINQING_KAFKA_URL": endpoints.kafka_url,
                     "MINQING_DATABASE_URL": endpoints.database_url}
        self._commands = commands
        self._log_dir = log_dir
        self._metrics_dir = metrics_dir
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._logs: dict[str, IO[bytes]] = {}
        self._stopping = False

    def _spawn(self, name: str) -> None:
        output = None
        if self._log_dir is not None:
            if name not in self._logs:
                self._logs[name] = open(self._log_dir / f"{name}.log", "ab")  # noqa: SIM115 - kept for restarts
            output = self._logs[name]
        self._children[name] = subprocess.Popen(
            [sys.executable, "-m", "infra.cli", *self._commands[name]], env=self._env,
            stdout=output, stderr=subprocess.STDOUT if output else None, stdin=subprocess.DEVNULL,
            start_new_session=True, preexec_fn=die_with_parent(signal.SIGTERM))

    def run(self, on_start: Callable[[], None] | None = None) -> None:
        previous = {sig: signal.signal(sig, self._request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for name in self._commands:
                self._spawn(name)
            if on_start is not None:
                on_start()
            while not self._stopping:
                time.sleep(0.5)
                self._restart_crashed()
        finally:
            for child in self._children.values():
                stop_process(child, signal.SIGTERM, timeout=15)
            for log in self._logs.values():
                log.close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _restart_crashed(self) -> None:
        for name, child in list(self._children.items()):
            if child.poll() is not None and not self._stopping:
                log.warning("%s exited with code %s; restarting it", name, child.returncode)
                where = f" (see {self._log_dir / (name + '.log')})" if self._log_dir else ""
                print(f"\nminqing: {name} exited with code {child.returncode}; restarting it{where}", file=sys.stderr)
                if self._metrics_dir is not None:
                    forget_process(self._metrics_dir, child.pid)
                self._spawn(name)

    def _request_stop(self, *_: object) -> None:
        self._stopping = True
