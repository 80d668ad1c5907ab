"""The unread badge, live: server-sent events with the caller's unread count whenever it
changes (as `api.web.live` does for the dashboard). The browser reads the stream with `fetch`,
the bearer token in the header, and falls back to polling `/api/v1/notifications/unread`."""
from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.deps import App, CurrentActor
from api.web.live import HEARTBEAT_EVERY, STREAM_LIFETIME, sse_message
from infra.services.app import Minqing
from infra.services.notifications import CountUnread
from models.access import Actor

router = APIRouter(prefix="/ui/api", tags=["web"], include_in_schema=False)
# Half a second: a notification stored by the notifier shows on the badge within a second.
CHECK_EVERY = 0.5


async def _unread(request: Request, app: Minqing, actor: Actor) -> AsyncIterator[str]:
    yield "retry: 3000\n\n"
    last: int | None = None
    started = quiet_since = time.monotonic()
    while time.monotonic() - started < STREAM_LIFETIME and not await request.is_disconnected():
        unread = await app.handle(CountUnread(actor))
        if unread != last:
            yield sse_message("unread", {"unread": unread})
            last, quiet_since = unread, time.monotonic()
        elif time.monotonic() - quiet_since > HEARTBEAT_EVERY:
            yield ": still here\n\n"
            quiet_since = time.monotonic()
        await asyncio.sleep(CHECK_EVERY)


@router.get("/notifications/live")
async def unread_live(request: Request, app: App, actor: CurrentActor) -> StreamingResponse:
    return StreamingResponse(_unread(request, app, actor), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
