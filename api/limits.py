"""Request bodies over a limit are refused with 413 before any handler reads them."""
from __future__ import annotations

import json
from typing import Any

MAX_BODY = 64 * 1024
MAX_UPLOAD = 10 * 1024 * 1024  # roster files
UPLOAD_PATHS = ("/api/v1/admin/roster",)


class BodyLimit:
    def __init__(self, app: Any, limit: int = MAX_BODY, upload_limit: int = MAX_UPLOAD) -> None:
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope["path"].startswith(UPLOAD_PATHS) else self.limit
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunks.append(message)
            size += len(message.get("body", b""))
            more = message.get("more_body", False)
            if size > limit:
                await _refuse(send, limit)
                return
        await self.app(scope, _replay(chunks, receive), send)


def _replay(messages: list[Any], then: Any = None) -> Any:
    queue = list(messages)

    async def receive() -> Any:
        if queue:
            return queue.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}
    return receive


async def _refuse(send: Any, limit: int) -> None:
    body = json.dumps({"detail": f"the request body is larger than {limit} bytes"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
