"""App-level middleware: every request gets an id (the caller's `X-Request-ID` when it is
sane, else a new one) that every log line of the request carries and the answer echoes; its
latency is counted by route template and status; and one access-log line is written with
personal data redacted (`infra.access_log`)."""
from __future__ import annotations

import re
import time
import uuid
from typing import Any

from infra.access_log import access_line
from infra.logs import log_context
from infra.metrics import HTTP_SECONDS

_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def request_id(headers: list[tuple[bytes, bytes]]) -> str:
    given = dict(headers).get(b"x-request-id", b"").decode("latin-1")
    return given if _SANE_ID.match(given) else uuid.uuid4().hex


class Observe:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(scope.get("headers") or [])
        answered = {"status": 500}

        async def send_with_id(message: Any) -> None:
            if message["type"] == "http.response.start":
                answered["status"] = message["status"]
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", rid.encode())]}
            await send(message)

        started = time.perf_counter()
        with log_context(request_id=rid):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                self._record(scope, answered["status"], time.perf_counter() - started)

    @staticmethod
    def _record(scope: Any, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", None)
        HTTP_SECONDS.labels(scope["method"], route or "unmatched", str(status)).observe(seconds)
        client = scope.get("client")
        access_line(scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1"), status,
                    seconds, client[0] if client else None, route=route, params=scope.get("path_params") or {})
