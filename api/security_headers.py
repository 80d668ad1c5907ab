"""Headers on every response: what the browser may load, frame and send on, and that answers
carrying personal data are never cached (a shared office PC's cache, a proxy's).

The web UI needs nothing but its own origin: no inline script (the page's texts are a JSON
data block, which CSP does not execute), no inline style, no CDN. Only the OpenAPI pages
(`/docs`, `/redoc`) load FastAPI's Swagger/ReDoc from their CDN with an inline bootstrap
script, so they get a policy of their own.
"""
from __future__ import annotations

from typing import Any

STRICT_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
                 "form-action 'self'")
DOCS_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
               "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
               "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
               "font-src 'self' https://fonts.gstatic.com; worker-src 'self' blob:; connect-src 'self'; "
               "object-src 'none'; frame-ancestors 'none'; base-uri 'none'")
DOCS_PATHS = ("/docs", "/redoc")
# Answers that can carry personal data: the API, the UI's own reads, Open311 with an api_key.
NO_STORE_PREFIXES = ("/api/", "/ui/api/", "/open311/")

COMMON = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def headers_for(path: str) -> dict[str, str]:
    found = {**COMMON, "content-security-policy": DOCS_POLICY if path.startswith(DOCS_PATHS) else STRICT_POLICY}
    if path.startswith(NO_STORE_PREFIXES):
        found["cache-control"] = "no-store"
        found["pragma"] = "no-cache"  # HTTP/1.0 caches
    return found


class SecurityHeaders:
    """Pure ASGI middleware (no body buffering: live streams pass straight through)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = headers_for(scope["path"])

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                # The answer's own cache-control (e.g. a static file's) yields to no-store.
                headers = [(n, v) for n, v in message.get("headers", [])
                           if not (n.lower() == b"cache-control" and "cache-control" in wanted)]
                headers += [(name.encode(), value.encode()) for name, value in wanted.items()
                            if name.encode() not in present or name == "cache-control"]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
