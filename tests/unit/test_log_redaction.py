"""Log lines and stored error texts without the values an exception quoted, and access log
lines without query values."""
from __future__ import annotations

import logging
import logging.config

from infra.log_redaction import (RedactErrors, RedactQueryStrings, redact_query, safe_message, safe_traceback,
                                 uvicorn_log_config)

PHONE = "13812345678"


def _record(msg: str, args: tuple[object, ...], exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("x", logging.ERROR, __file__, 1, msg, args, exc_info)


def _raised(error: BaseException) -> BaseException:
    try:
        raise error
    except BaseException as caught:  # noqa: BLE001 - to get a traceback
        return caught


def test_quoted_values_in_driver_and_server_messages_are_blanked() -> None:
    messages = [f"invalid input for query argument $1: '{PHONE}' (an integer is required)",
                f'value "{PHONE}" is out of range for type integer',
                f"duplicate key value violates unique constraint; Key (petitioner_phone)=({PHONE}) already exists"]
    for message in messages:
        assert PHONE not in safe_message(ValueError(message))
    assert safe_message(KeyError(PHONE)).startswith("KeyError: ")


def test_a_chained_traceback_keeps_the_frames_and_drops_the_values() -> None:
    try:
        try:
            raise ValueError(f"bad '{PHONE}'")
        except ValueError as inner:
            raise RuntimeError(f"wrapped '{PHONE}'") from inner
    except RuntimeError as outer:
        text = safe_traceback(outer)
    assert PHONE not in text
    assert "test_a_chained_traceback_keeps_the_frames" in text and "ValueError" in text and "RuntimeError" in text


def test_the_error_filter_preformats_a_scrubbed_traceback() -> None:
    record = _record("request failed", (), _raised(ValueError(f"value '{PHONE}'")))
    assert RedactErrors().filter(record)
    line = logging.Formatter().format(record)
    assert "request failed" in line and PHONE not in line


def test_access_log_lines_keep_parameter_names_not_values() -> None:
    assert redact_query("/open311/v2/requests.json?api_key=mq_secret&status=open") == \
        "/open311/v2/requests.json?api_key=…&status=…"
    assert redact_query(f"/x?{PHONE}") == "/x?…=…"
    assert redact_query("/api/v1/cases/abc") == "/api/v1/cases/abc"
    record = _record('%s - "%s %s HTTP/%s" %d', ("10.0.0.1:5", "GET", f"/api/v1/cases?q={PHONE}", "1.1", 200))
    assert RedactQueryStrings().filter(record)
    assert PHONE not in record.getMessage() and "/api/v1/cases?q=…" in record.getMessage()


def test_the_uvicorn_configuration_carries_both_filters() -> None:
    config = uvicorn_log_config()
    assert "redact_query_strings" in config["handlers"]["access"]["filters"]
    assert "redact_errors" in config["handlers"]["default"]["filters"]
    logging.config.dictConfig(config)  # loadable as uvicorn will load it
    assert any(isinstance(f, RedactQueryStrings) for f in logging.getLogger("uvicorn.access").handlers[0].filters)
