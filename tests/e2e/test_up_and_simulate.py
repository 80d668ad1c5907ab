"""The README's promise: `minqing up --demo`, then `minqing simulate --count 100`
gives 100 cases readable over HTTP; Ctrl-C leaves nothing running."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from infra.runtime.processes import free_loopback_port

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def _minqing(*args: str, env: dict[str, str], **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "infra.cli", *args], env=env, cwd=ROOT, text=True, **kwargs)  # type: ignore[call-overload]


def _wait_for_line(process: subprocess.Popen[str], pattern: str, timeout: float) -> re.Match[str]:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        seen.append(line)
        match = re.search(pattern, line)
        if match:
            return match
        if not line and process.poll() is not None:
            break
    raise AssertionError(f"no line matching {pattern!r}; output was:\n{''.join(seen)}")


def test_up_demo_then_simulate_gives_readable_cases(tmp_path: Path) -> None:
    port = free_loopback_port()
    env = {**os.environ, "MINQING_DATA_DIR": str(tmp_path), "MINQING_API_PORT": str(port)}
    env.pop("MINQING_KAFKA_URL", None)
    env.pop("MINQING_DATABASE_URL", None)
    up = _minqing("up", "--demo", env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        token = _wait_for_line(up, r"admin token: (\S+)", timeout=120).group(1)
        _wait_for_line(up, r"Press Ctrl-C", timeout=10)
        simulate = _minqing("simulate", "--count", "100", "--seed", "7", env=env, stdout=subprocess.PIPE)
        out, _ = simulate.communicate(timeout=60)
        assert simulate.returncode == 0 and "produced 100 events" in out

        # every call is readable by its event id: as its own case, or (a repeat petition)
        # as the case it was linked to
        unread = {f"sim-7-hl-{n}" for n in range(100)}
        deadline = time.monotonic() + 90
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"},
                          timeout=5) as client:
            while unread and time.monotonic() < deadline:
                for event_id in sorted(unread):
                    try:
                        found = client.get("/api/v1/cases", params={"source_event_id": event_id})
                    except httpx.TransportError:
                        break  # the API child may still be starting
                    if found.status_code == 200 and found.json()["items"]:
                        unread.discard(event_id)
                time.sleep(0.5)
            total = client.get("/api/v1/cases", params={"limit": 1}).json()["total"]
        assert not unread, f"{len(unread)} calls not readable over HTTP"
        assert 0 < total <= 100
        # database-only commands attach to the running system through runtime.json (as its owner)
        for command in (["backup", str(tmp_path / "running.backup")], ["audit", "verify"]):
            done = _minqing(*command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            out, err = done.communicate(timeout=120)
            assert done.returncode == 0, err
        assert (tmp_path / "running.backup").stat().st_size > 0
        children = [child.pid for child in psutil.Process(up.pid).children(recursive=True)]
    finally:
        up.send_signal(signal.SIGINT)
        up.wait(60)
    assert up.returncode == 0
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(psutil.pid_exists(pid) for pid in children):
        time.sleep(0.2)
    assert not [pid for pid in children if psutil.pid_exists(pid)], "processes outlived `minqing up`"
