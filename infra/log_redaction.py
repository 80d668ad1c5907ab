"""Keeping personal data out of logs and stored error texts.

An exception's message can quote the values it choked on: asyncpg's "invalid input for
query argument $1: '13812345678'", PostgreSQL's `value "…" is out of range`, a KeyError
naming a phone number. `hide_parameters` on the engine drops SQLAlchemy's own parameter
dump, not these. `safe_message` blanks every quoted value (for dead letters' reasons);
`log_failure` logs it with the stack frames (code, not data) instead of the raw message;
`RedactErrors`, on the process's log handler (`infra.logs.configure_logging`), does the same
for any record logged with an exception. (Query strings in the access log: `infra.access_log`.)
"""
from __future__ import annotations

import logging
import re
import traceback
from typing import Any

_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
_KEY_VALUE = re.compile(r"=\([^)\n]*\)")  # PostgreSQL's DETAIL: Key (phone)=(13812345678)
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
