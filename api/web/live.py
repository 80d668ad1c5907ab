"""Server-sent events for the leader dashboard: counts by village whenever they change.

The browser reads the stream with `fetch` (so the bearer token travels in the header, not in
the URL) and falls back to polling `/ui/api/village-counts`. A stream lasts at most
`STREAM_LIFETIME` seconds (also what a shutting-down server waits for at most); the client
reconnects, which checks the token again."""
from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.deps import App, Reader
from infra.services.reads import CountByVillage

router = APIRouter(prefix="/ui/api", tags=["web"], include_in_schema=False)
CHECK_EVERY = 1.0
HEARTBEAT_EVERY = 15.0
STREAM_LIFETIME = 60.0


def sse_message(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def watch(request: Request, event: str, read: Callable[[], Awaitable[Any]],
          every: float = CHECK_EVERY) -> StreamingResponse:
    """A stream that sends `event` with what `read` answers whenever it changes (and a
    heartbeat while it does not), for at most STREAM_LIFETIME seconds."""
    async def changes() -> AsyncIterator[str]:
        yield "retry: 3000\n\n"
        last: Any = None
        started = quiet_since = time.monotonic()
        while time.monotonic() - started < STREAM_LIFETIME and not await request.is_disconnected():
            found = await read()
            if found != last:
                yield sse_message(event, found)
                last, quiet_since = found, time.monotonic()
            elif time.monotonic() - quiet_since > HEARTBEAT_EVERY:
                yield ": still here\n\n"
                quiet_since = time.monotonic()
            await asyncio.sleep(every)

    return StreamingResponse(changes(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@router.get("/live")
async def live(request: Request, app: App, actor: Reader) -> StreamingResponse:
    return watch(request, "counts", lambda: app.handle(CountByVillage(actor)))
