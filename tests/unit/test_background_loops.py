"""The worker's background loops (`streams.loops`): the relay is woken by whoever has just
written to the outbox — intake after each batch, the scheduler after each batch it escalated —
instead of waiting out its poll interval; a wake-up during a run that found nothing is not lost."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any

from streams.app import WorkerServices, _process
from streams.loops import add_background_loops, keep_running

HOUR = 3600.0  # a poll interval no test waits for


class _Work:
    """Finds nothing each time; notes each call, and runs `during` inside the call."""

    def __init__(self, during: Any = None) -> None:
        self.calls = 0
        self.called = asyncio.Event()
        self._during = during

    async def __call__(self) -> int:
        self.calls += 1
        if self._during is not None:
            self._during(self.calls)
        self.called.set()
        return 0

    async def next_call(self) -> None:
        self.called.clear()
        await asyncio.wait_for(self.called.wait(), timeout=10)  # the poll interval is an hour


async def test_a_wake_up_runs_the_idle_loop_again_before_its_interval() -> None:
    wake, work = asyncio.Event(), _Work()
    loop = asyncio.create_task(keep_running(work, idle_seconds=HOUR, what="test", wake=wake))
    try:
        await work.next_call()
        await asyncio.sleep(0.05)
        assert work.calls == 1  # idle: waits for the interval or a wake-up
        wake.set()
        await work.next_call()
        assert work.calls == 2
    finally:
        loop.cancel()


async def test_a_wake_up_during_a_run_that_found_nothing_runs_it_again() -> None:
    wake = asyncio.Event()
    work = _Work(during=lambda calls: wake.set() if calls == 1 else None)  # written just after it looked
    loop = asyncio.create_task(keep_running(work, idle_seconds=HOUR, what="test", wake=wake))
    try:
        while work.calls < 2:
            await work.next_call()
    finally:
        loop.cancel()


class _Minqing:
    def __init__(self) -> None:
        self.claims = [3, 0]

    async def ingest(self, items: Any) -> list[Any]:
        return []

    async def escalate_due(self) -> int:
        return self.claims.pop(0) if self.claims else 0


class _Relay:
    def __init__(self) -> None:
        self.runs = 0

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def run_once(self) -> int:
        self.runs += 1
        return 0


async def test_intake_wakes_the_relay_after_each_batch_it_stored() -> None:
    services = WorkerServices(minqing=_Minqing(), clock=lambda: datetime.now(timezone.utc))  # type: ignore[arg-type]
    assert not services.relay_wake.is_set()
    await _process("hotline.calls", [], dlq=None, services=services)
    assert services.relay_wake.is_set()


async def test_the_scheduler_wakes_the_relay_when_it_escalated_something() -> None:
    tasks: list[Any] = []

    class App:
        def task(self, fun: Any) -> None:
            tasks.append(fun)

    relay, minqing, wake = _Relay(), _Minqing(), asyncio.Event()
    add_background_loops(App(), relay, minqing.escalate_due, wake, relay_idle=HOUR, scheduler_idle=HOUR)
    relay_task, scheduler_task = (asyncio.create_task(t()) for t in tasks)
    try:
        for _ in range(100):
            if relay.runs >= 2:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.1)
        assert minqing.claims == []  # the scheduler claimed 3, then nothing
        assert relay.runs == 2  # its first look, then the scheduler's wake-up: not its hour-long poll
    finally:
        relay_task.cancel()
        scheduler_task.cancel()
