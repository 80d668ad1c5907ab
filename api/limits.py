"""Guards in front of every handler: bodies over a limit are refused with 413, and NUL
characters (which PostgreSQL text cannot hold) with 422, naming where they were found."""
from __future__ import annotations

import json
from typing import Any

from api.open311.formats import error_response

MAX_BODY = 64 * 1024
MAX_UPLOAD = 10 * 1024 * 1024  # roster files
UPLOAD_PATHS = ("/api/v1/admin/roster",)


class RequestGuard:
    def __init__(self, app: Any, limit: int = MAX_BODY, upload_limit: int = MAX_UPLOAD) -> None:
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        upload = path.startswith(UPLOAD_PATHS)
        limit = self.upload_limit if upload else self.limit
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _answer(send, path, 413, "body", f"the request body is larger than {limit} bytes")
            return
        if "\x00" in path or b"%00" in scope.get("query_string", b"").lower():
            await _answer(send, path, 422, "query", "NUL characters are not allowed in the path or query")
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
                await _answer(send, path, 413, "body", f"the request body is larger than {limit} bytes")
                return
        body = b"".join(m.get("body", b"") for m in chunks)
        if not upload and (b"\x00" in body or b"\\u0000" in body):
            await _answer(send, path, 422, "body", "NUL characters are not allowed in text")
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


async def _answer(send: Any, path: str, status: int, where: str, reason: str) -> None:
    if path.startswith("/open311/"):
        response = error_response(path, 400 if status == 422 else status, f"{where}: {reason}")
        body, media = response.body, response.media_type or "text/xml"
    else:
        detail: Any = [{"loc": [where], "msg": reason, "type": "value_error", "field": where}] if status == 422 else reason
        body, media = json.dumps({"detail": detail, "message": f"{where}: {reason}"}).encode(), "application/json"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", media.encode()), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
