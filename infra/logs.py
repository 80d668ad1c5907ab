"""Log lines an operator can search: JSON lines (or readable text at a terminal) that carry
the id of what they are about — the HTTP request, the event, or the intake batch (topic,
partition and offsets) — set once with `log_context` and inherited by everything below it,
tasks included (contextvars). Lines about the process itself carry its component and pid.
"""
from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import IO, Any

import orjson

from infra.log_redaction import RedactErrors

_CONTEXT: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("minqing_log_context",
                                                                                 default=None)
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime", "ids"}


@contextlib.contextmanager
def log_context(**ids: str) -> Iterator[None]:
    """Every line logged inside carries these ids (request_id, event_id, batch, task)."""
    token = _CONTEXT.set({**(_CONTEXT.get() or {}), **ids})
    try:
        yield
    finally:
        _CONTEXT.reset(token)


def current_ids() -> dict[str, str]:
    return dict(_CONTEXT.get() or {})


class ContextFilter(logging.Filter):
    def __init__(self, component: str) -> None:
        super().__init__()
        self.component = component

    def filter(self, record: logging.LogRecord) -> bool:
        record.ids = {**(_CONTEXT.get() or {}), "component": self.component, "pid": str(os.getpid())}
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name, "msg": record.getMessage(),
            **getattr(record, "ids", {}),
        }
        line.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:  # pre-formatted and scrubbed by RedactErrors when it ran
            line["exc"] = record.exc_text or self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s%(where)s %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        ids = {k: v for k, v in getattr(record, "ids", {}).items() if k not in ("component", "pid")}
        record.where = "".join(f" [{k}={v}]" for k, v in ids.items())
        return super().format(record)


def wants_json(log_format: str, stream: IO[str]) -> bool:
    if log_format == "auto":
        return not (hasattr(stream, "isatty") and stream.isatty())
    return log_format == "json"


def configure_logging(component: str, *, log_format: str = "auto", level: str = "INFO",
                      stream: IO[str] | None = None) -> logging.Handler:
    """One handler on the root logger for the whole process (libraries included)."""
    stream = stream or sys.stderr
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if wants_json(log_format, stream) else TextFormatter())
    handler.addFilter(ContextFilter(component))
    handler.addFilter(RedactErrors())  # exception messages quote values: personal data
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # uvicorn's own access log would print query strings: the API writes its own (infra.access_log)
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    return handler
