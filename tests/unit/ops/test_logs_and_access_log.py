"""Log lines carry the id of what they are about; the access log carries no personal data."""
from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient
from api.app import create_api
from infra.bootstrap import bootstrap, health_probe
from infra.access_log import redact_path, redact_query
from infra.logs import ContextFilter, JsonFormatter, configure_logging, log_context, wants_json


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def logged() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """Everything logged while the test runs, as the JSON lines a worker or the API writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter("test"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_json_lines_carry_the_context_ids(logged: Callable[[], list[dict[str, Any]]]) -> None:
    log = logging.getLogger("minqing.test")
    with log_context(batch="hotline.calls/0@10-19"):
        log.info("batch stored")
        with log_context(event_id="hl-7"):
            log.warning("refused: %s", "unknown village")
    log.info("idle")
    lines = [line for line in logged() if line["logger"] == "minqing.test"]
    assert lines[0]["batch"] == "hotline.calls/0@10-19" and "event_id" not in lines[0]
    assert lines[1]["event_id"] == "hl-7" and lines[1]["msg"] == "refused: unknown village"
    assert lines[1]["level"] == "warning" and lines[1]["component"] == "test"
    assert "batch" not in lines[2] and lines[2]["pid"]


def test_text_at_a_terminal_json_elsewhere_unless_told() -> None:
    assert not wants_json("auto", _Tty())
    assert wants_json("auto", io.StringIO())
    assert wants_json("json", _Tty()) and not wants_json("text", io.StringIO())
    stream = _Tty()
    handler = configure_logging("api", stream=stream)
    try:
        with log_context(request_id="r-1"):
            logging.getLogger("minqing.test").info("hello")
    finally:
        logging.getLogger().removeHandler(handler)
    assert "[request_id=r-1] hello" in stream.getvalue()
    assert not stream.getvalue().startswith("{")


def test_query_values_are_kept_only_when_harmless() -> None:
    redacted = redact_query("phone=13912345678&limit=20&q=%E7%8E%8B%E7%A7%80%E8%8B%B1&api_key=k1&status=open")
    assert redacted == "phone=redacted&limit=20&q=redacted&api_key=redacted&status=open"
    assert "1391234" not in redacted


def test_tracking_codes_leave_the_path() -> None:
    assert redact_path("/api/v1/track/MQ-ABCD-1234", "/api/v1/track/{tracking_code}",
                       {"tracking_code": "MQ-ABCD-1234"}) == "/api/v1/track/redacted"
    assert redact_path("/api/v1/cases/c-1", "/api/v1/cases/{case_id}", {"case_id": "c-1"}) == "/api/v1/cases/c-1"


@pytest.fixture(scope="module")
def client() -> TestClient:
    system = bootstrap("postgresql+asyncpg://nobody@127.0.0.1:9/none",  # never reachable
                       clock=lambda: datetime.now(timezone.utc))
    return TestClient(create_api(system.app, health_probe(system, "kafka://127.0.0.1:9")),
                      raise_server_exceptions=False)


def test_a_caller_look_up_leaves_no_phone_in_the_access_log(client: TestClient,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="minqing.access"):
        client.get("/api/v1/callers/cases", params={"phone": "13912345678", "limit": 5},
                   headers={"Authorization": "Bearer mq_whatever"})
    lines = [r.getMessage() for r in caplog.records if r.name == "minqing.access"]
    assert lines and "GET /api/v1/callers/cases?phone=redacted&limit=5" in lines[0]
    server_side = [r for r in caplog.records if r.name != "httpx"]  # (the test's own client logs its URL)
    assert not any("13912345678" in r.getMessage() or "13912345678" in str(r.__dict__) for r in server_side)


def test_every_line_of_a_request_carries_its_id_and_the_answer_echoes_it(
        client: TestClient, logged: Callable[[], list[dict[str, Any]]]) -> None:
    given = client.get("/ui/", headers={"X-Request-ID": "desk-42"})
    made = client.get("/ui/")
    lines = logged()
    assert given.headers["x-request-id"] == "desk-42"
    assert len(made.headers["x-request-id"]) == 32
    access = [line for line in lines if line["logger"] == "minqing.access"]
    assert [line["request_id"] for line in access] == ["desk-42", made.headers["x-request-id"]]
    assert access[0]["http_status"] == 200 and access[0]["http_target"] == "/ui/"


def test_a_request_id_that_could_forge_log_lines_is_replaced(client: TestClient) -> None:
    answer = client.get("/ui/", headers={"X-Request-ID": 'x"}\n{"level":"error'})
    assert answer.headers["x-request-id"] != 'x"}\n{"level":"error'
