"""Long CPU-bound work on the worker's event loop, a slice at a time.

A batch of hundreds of events is decided, projected and written in one transaction; run as
one synchronous stretch it would hold the event loop for all of it (timers, the outbox
relay, the scheduler and the consumer's fetches wait). `in_slices` hands the work out a
slice at a time and lets the loop run between two slices. The transaction is the same
throughout: nothing is committed between slices, so the batch stays atomic."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import TypeVar

T = TypeVar("T")


async def in_slices(items: Sequence[T], size: int) -> AsyncIterator[Sequence[T]]:
    """`items` in consecutive slices of at most `size`, the event loop let run between two."""
    for start in range(0, len(items), max(1, size)):
        if start:
            await asyncio.sleep(0)
        yield items[start:start + size]
