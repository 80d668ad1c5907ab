"""Helpers for child processes that must never outlive Minqing."""
from __future__ import annotations

import ctypes
import signal
import socket
import subprocess
import time
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Can a server listen here? (SO_REUSEADDR, as servers set it: a port whose old
    connections linger in TIME_WAIT is free for them.)"""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def die_with_parent(sig: int) -> Callable[[], None]:
    """A preexec_fn asking Linux to send `sig` to the child when its parent dies.

    This is what keeps a `kill -9` of Minqing from leaving an orphan broker or
    database behind. Must be used from the main thread: the signal follows the
    thread that forked, not the process.
    """

    def _preexec() -> None:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)

    return _preexec


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode} while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{what} did not answer on 127.0.0.1:{port} within {timeout:.0f}s")


def stop_process(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 20.0) -> None:
    """Ask politely, then insist: the child is gone when this returns."""
    if process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)
