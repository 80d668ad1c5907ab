"""Server-sent events for the leader dashboard: counts by village whenever they change.

The browser reads the stream with `fetch` (so the bearer token travels in the header, not in
the URL) and falls back to polling `/ui/api/village-counts`. A stream lasts at most
`STREAM_LIFETIME` seconds (also what a shutting-down server waits for at most); the client
reconnects, which checks the token again."""
from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.deps import App, Reader
from infra.services.app import Minqing
from infra.services.reads import CountByVillage
from models.access import Actor

router = APIRouter(prefix="/ui/api", tags=["web"], include_in_schema=False)
CHECK_EVERY = 1.0
HEARTBEAT_EVERY = 15.0
STREAM_LIFETIME = 60.0


def sse_message(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _changes(request: Request, app: Minqing, actor: Actor) -> AsyncIterator[str]:
    yield "retry: 3000\n\n"
    last: dict[str, Any] | None = None
    started = quiet_since = time.monotonic()
    while time.monotonic() - started < STREAM_LIFETIME and not await request.is_disconnected():
        counts = await app.handle(CountByVillage(actor))
        if counts != last:
            yield sse_message("counts", counts)
            last, quiet_since = counts, time.monotonic()
        elif time.monotonic() - quiet_since > HEARTBEAT_EVERY:
            yield ": still here\n\n"
            quiet_since = time.monotonic()
        await asyncio.sleep(CHECK_EVERY)


@router.get("/live")
async def live(request: Request, app: App, actor: Reader) -> StreamingResponse:
    return StreamingResponse(_changes(request, app, actor), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
