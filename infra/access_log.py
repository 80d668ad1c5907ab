"""The API's access log: one line per request, with no personal data in it.

Query strings can carry a phone number (caller look-up), a search (`q`), a tracking code or
an API key; paths can carry a tracking code. Only parameters known to be harmless keep their
values — everything else is logged by name alone — and secret path parts are replaced.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

log = logging.getLogger("minqing.access")

REDACTED = "redacted"
# Filters and paging that name no person. Anything not listed here is redacted.
SAFE_PARAMETERS = frozenset({
    "limit", "offset", "status", "village_code", "category", "kind", "overdue", "escalated", "format", "fmt",
    "month", "period", "since", "until", "start", "end", "days", "lang", "topic", "case_id", "cadre_id",
    "owner_cadre_id", "service_code", "source_event_id", "page", "page_size", "year", "unread",
})
# Path parameters that are keys to someone's case or account.
SECRET_PATH_PARAMETERS = frozenset({"tracking_code", "token", "service_request_id"})


def redact_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    return "&".join(f"{name}={value if name in SAFE_PARAMETERS else REDACTED}" for name, value in pairs)


def redact_path(path: str, route: str | None, params: Mapping[str, Any]) -> str:
    """The path with secret parameters replaced, rebuilt from the route template when known."""
    if not route or not SECRET_PATH_PARAMETERS.intersection(params):
        return path
    return re.sub(r"\{(\w+)(?::\w+)?\}",
                  lambda m: REDACTED if m.group(1) in SECRET_PATH_PARAMETERS else str(params.get(m.group(1), m.group(0))),
                  route)


def access_line(method: str, path: str, query: str, status: int, seconds: float, client: str | None, *,
                route: str | None = None, params: Mapping[str, Any] | None = None) -> None:
    target = redact_path(path, route, params or {})
    if query:
        target += "?" + redact_query(query)
    log.info('%s %s %s %.1fms', method, target, status, seconds * 1000,
             extra={"http_method": method, "http_target": target, "http_status": status,
                    "duration_ms": round(seconds * 1000, 1), "client": client or "-"})
