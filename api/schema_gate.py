"""Until the database has the schema this code expects, the API does no work: every data
request (`/api/`, `/ui/api/`, `/open311/`) answers 503 with the reason; `/healthz` says why,
`/metrics` and the pages still answer."""
from __future__ import annotations

import json
from typing import Any

GATED = ("/api/", "/ui/api/", "/open311/")


class SchemaGate:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(GATED):
            await self.app(scope, receive, send)
            return
        probe = scope["app"].state.health
        if probe is None:
            await self.app(scope, receive, send)
            return
        state = await probe.schema.state()
        if not state.behind:  # ready, or the database unreachable (the routes answer for that)
            await self.app(scope, receive, send)
            return
        body = json.dumps({"detail": state.reason, "code": "schema.behind",
                           "params": {"database": state.database, "code": state.code}}).encode()
        await send({"type": "http.response.start", "status": 503,
                    "headers": [(b"content-type", b"application/json"), (b"retry-after", b"5"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
