"""`minqing up`: run the worker and the API as child processes until Ctrl-C.

Children get the endpoints in their environment, die with us (PR_SET_PDEATHSIG)
and are restarted if they crash; on Ctrl-C or SIGTERM they are stopped first,
then the embedded broker and database.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time

from infra.runtime.embedded import Endpoints
from infra.runtime.processes import die_with_parent, stop_process

log = logging.getLogger(__name__)


class Supervisor:
    def __init__(self, endpoints: Endpoints, commands: dict[str, list[str]]) -> None:
        self._env = {**os.environ, "MINQING_KAFKA_URL": endpoints.kafka_url,
                     "MINQING_DATABASE_URL": endpoints.database_url}
        self._commands = commands
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._stopping = False

    def _spawn(self, name: str) -> None:
        self._children[name] = subprocess.Popen(
            [sys.executable, "-m", "infra.cli", *self._commands[name]], env=self._env,
            start_new_session=True, preexec_fn=die_with_parent(signal.SIGTERM))

    def run(self) -> None:
        previous = {sig: signal.signal(sig, self._request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for name in self._commands:
                self._spawn(name)
            while not self._stopping:
                time.sleep(0.5)
                self._restart_crashed()
        finally:
            for child in self._children.values():
                stop_process(child, signal.SIGTERM, timeout=15)
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _restart_crashed(self) -> None:
        for name, child in list(self._children.items()):
            if child.poll() is not None and not self._stopping:
                log.warning("%s exited with code %s; restarting it", name, child.returncode)
                print(f"minqing: {name} exited with code {child.returncode}; restarting it", file=sys.stderr)
                self._spawn(name)

    def _request_stop(self, *_: object) -> None:
        self._stopping = True
