"""Keeping personal data out of logs and stored error texts.

Two leaks this closes (issue 15):
- An exception's message can quote the values it choked on: asyncpg's "invalid input for
  query argument $1: '13812345678'", PostgreSQL's `value "…" is out of range`, a
  KeyError naming a phone number. `hide_parameters` on the engine drops SQLAlchemy's own
  parameter dump, not these. `safe_message` blanks every quoted value; `log_failure` logs
  it with the stack frames (code, not data) instead of the raw message.
- An access log line carries the query string (`?api_key=…`, `?q=<a name>`).
  `RedactQueryStrings` keeps the parameter names and drops their values.

Both filters are plain `logging.Filter`s: put them on any handler or logger (the uvicorn
configuration from `uvicorn_log_config` has them on its access and error loggers).
"""
from __future__ import annotations

import copy
import logging
import re
import traceback
from typing import Any
from urllib.parse import parse_qsl

_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
_KEY_VALUE = re.compile(r"=\([^)\n]*\)")  # PostgreSQL's DETAIL: Key (phone)=(13812345678)
_PARAMETER_NAME = re.compile(r"^(?!.*\d{5})[A-Za-z0-9_.\[\]-]{1,40}$")  # a name, not a value in its place
REDACTED = "…"


def scrub(text: str) -> str:
    return _KEY_VALUE.sub(f"=({REDACTED})", _QUOTED.sub(f"'{REDACTED}'", text))


def safe_message(error: BaseException) -> str:
    """`ExceptionClass: message` with every quoted value blanked."""
    return f"{type(error).__name__}: {scrub(str(error))}"


def safe_traceback(error: BaseException) -> str:
    """The stack (files, lines, code) and the scrubbed message of each chained exception."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts.append("".join(traceback.format_tb(current.__traceback__)) + safe_message(current))
        current = current.__cause__ or current.__context__
    return "\nwhile handling or caused by:\n".join(reversed(parts))


def log_failure(logger: logging.Logger, message: str, *args: Any, error: BaseException) -> None:
    """`logger.exception`, without the data the exception's message may carry."""
    logger.error(message + ": %s\n%s", *args, safe_message(error), safe_traceback(error))


class RedactErrors(logging.Filter):
    """Records logged with an exception get its traceback pre-formatted, scrubbed."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = safe_traceback(record.exc_info[1])
        return True


class RedactQueryStrings(logging.Filter):
    """uvicorn's access records: `(client, method, path?query, http version, status)`."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], redact_query(args[2]), *args[3:])
        return True


def redact_query(path: str) -> str:
    """`/x?api_key=secret&limit=5` → `/x?api_key=…&limit=…`"""
    base, _, query = path.partition("?")
    names = [name if _PARAMETER_NAME.match(name) else REDACTED for name, _ in parse_qsl(query, keep_blank_values=True)]
    return f"{base}?{'&'.join(f'{name}={REDACTED}' for name in names)}" if names else base


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's own logging configuration with both filters on it."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {}).update({
        "redact_query_strings": {"()": "infra.log_redaction.RedactQueryStrings"},
        "redact_errors": {"()": "infra.log_redaction.RedactErrors"},
    })
    config["handlers"]["access"].setdefault("filters", []).append("redact_query_strings")
    config["handlers"]["default"].setdefault("filters", []).append("redact_errors")
    return config
