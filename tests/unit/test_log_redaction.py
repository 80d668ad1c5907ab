"""Log lines and stored error texts without the values an exception quoted."""
from __future__ import annotations

import io
import logging

import orjson

from infra.log_redaction import RedactErrors, safe_message, safe_traceback
from infra.logs import configure_logging

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


def test_the_process_log_handler_scrubs_every_exception() -> None:
    root = logging.getLogger()
    before = (list(root.handlers), root.level, logging.getLogger("uvicorn.access").disabled)
    stream = io.StringIO()
    try:
        configure_logging("test", log_format="json", stream=stream)
        try:
            raise ValueError(f"invalid input for query argument $1: '{PHONE}'")
        except ValueError:
            logging.getLogger("some.library").exception("request failed")
    finally:
        root.handlers[:] = before[0]
        root.setLevel(before[1])
        logging.getLogger("uvicorn.access").disabled = before[2]
    line = orjson.loads(stream.getvalue().splitlines()[-1])
    assert line["msg"] == "request failed" and "ValueError" in line["exc"] and PHONE not in stream.getvalue()
