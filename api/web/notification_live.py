"""The unread badge, live: server-sent events with the caller's unread count whenever it
changes (as `api.web.live` does for the dashboard). The browser reads the stream with `fetch`,
the bearer token in the header, and falls back to polling `/api/v1/notifications/unread`."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.deps import App, CurrentActor
from api.web.live import watch
from infra.services.notifications import CountUnread

router = APIRouter(prefix="/ui/api", tags=["web"], include_in_schema=False)
# Half a second: a notification stored by the notifier shows on the badge within a second.
CHECK_EVERY = 0.5


@router.get("/notifications/live")
async def unread_live(request: Request, app: App, actor: CurrentActor) -> StreamingResponse:
    async def unread() -> dict[str, int]:
        return {"unread": await app.handle(CountUnread(actor))}

    return watch(request, "unread", unread, every=CHECK_EVERY)
