"""`python -m bench.probe OUT -- ARGS…`: run `minqing ARGS` (e.g. `worker`) exactly as the CLI
does, with two observers inside the process that change nothing it does:

* a loop-lag probe on every event loop the process creates: a task that sleeps 20 ms and
  records how late it woke (the event loop was blocked for that long);
* with MINQING_PROBE_TRACEMALLOC=1, tracemalloc from the start and, whenever the file
  OUT.snapshot appears (faust's worker owns SIGUSR1 and SIGUSR2), a snapshot compared with the
  previous one, written to OUT.tracemalloc: the allocations that grew most, by traceback.

Each second each loop writes a JSON line to OUT: its thread (faust's consumer runs a loop of
its own), the worst wake-up delay of that second, the RSS and the objects the garbage
collector tracks."""
from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import psutil

SLEEP = 0.02


class _ProbedPolicy(asyncio.DefaultEventLoopPolicy):
    def __init__(self, out: TextIO, snapshots: Callable[[], None]) -> None:
        super().__init__()
        self._out = out
        self._snapshots = snapshots

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        loop = super().new_event_loop()
        loop.call_soon(lambda: loop.create_task(_lag_probe(self._out, self._snapshots)))
        return loop


async def _lag_probe(out: TextIO, snapshots: Callable[[], None]) -> None:
    process = psutil.Process()
    worst, second = 0.0, time.monotonic()
    while True:
        started = time.monotonic()
        await asyncio.sleep(SLEEP)
        worst = max(worst, time.monotonic() - started - SLEEP)
        if time.monotonic() - second >= 1.0:
            out.write(json.dumps({"t": round(time.time(), 2), "loop": threading.current_thread().name,
                                  "lag_ms": round(worst * 1000, 1),
                                  "rss_mb": round(process.memory_info().rss / 2**20, 1),
                                  "gc_objects": len(gc.get_objects())}) + "\n")
            out.flush()
            snapshots()
            worst, second = 0.0, time.monotonic()


def _snapshots(path: str) -> Callable[[], None]:
    """Takes a snapshot when asked to (OUT.snapshot exists), compared with the one before."""
    previous: list[Any] = [None]
    request = Path(path.removesuffix(".tracemalloc") + ".snapshot")

    def take() -> None:
        if not request.exists():
            return
        request.unlink()
        snapshot = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, "<frozen importlib._bootstrap>")])
        with open(path, "a") as report:
            report.write(f"== snapshot at {time.time():.0f}, traced {tracemalloc.get_traced_memory()[0] / 2**20:.1f} MB\n")
            if previous[0] is not None:
                for stat in snapshot.compare_to(previous[0], "traceback")[:12]:
                    report.write(f"{stat.size_diff / 1024:+.0f} KiB in {stat.count_diff:+d} blocks\n")
                    report.write("".join(f"    {line}\n" for line in stat.traceback.format(limit=8)))
        previous[0] = snapshot

    return take


def main() -> None:
    out_path, args = sys.argv[1], sys.argv[sys.argv.index("--") + 1:]
    out = open(out_path, "a")  # noqa: SIM115 - lives as long as the process
    snapshots: Callable[[], None] = lambda: None  # noqa: E731
    if os.environ.get("MINQING_PROBE_TRACEMALLOC") == "1":
        tracemalloc.start(6)
        snapshots = _snapshots(out_path + ".tracemalloc")
    asyncio.set_event_loop_policy(_ProbedPolicy(out, snapshots))
    from infra.cli import main as minqing

    minqing(args)


if __name__ == "__main__":
    main()
