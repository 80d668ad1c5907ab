"""The one-line status of `minqing up` and `minqing status`."""
from __future__ import annotations

from datetime import datetime

from infra.schema_version import SchemaState
from infra.system_status import Snapshot, from_signals, health_words, safe_url, status_line, throughput

SIGNALS = {"consumer_lag": {"hotline.calls": 7, "diary.entries": 1}, "committed_offsets": 1000,
           "backlog": {"case_events": 2, "outgoing_events": 1, "alerts": 0},
           "dead_letters_pending": {"hotline.calls": 3}, "overdue_open_cases": 4}
READY = SchemaState(True, "0004", "0004")


def test_the_line_shows_throughput_lag_outbox_overdue_and_dead_letters() -> None:
    before = from_signals(10.0, SIGNALS, READY, "ok")
    after = from_signals(12.0, {**SIGNALS, "committed_offsets": 1050}, READY, "ok")
    line = status_line(before, after, datetime(2026, 5, 1, 9, 30, 0))
    assert line == "09:30:00  ok · 25.0 events/s · lag 8 · outbox 3 · overdue 4 · dead letters 3"


def test_the_first_line_has_no_rate_yet() -> None:
    assert "… events/s" in status_line(None, from_signals(1.0, SIGNALS, READY, None))


def test_degraded_says_why() -> None:
    broker_down = from_signals(1.0, {**SIGNALS, "consumer_lag": {"error": "KafkaConnectionError"}}, READY, "ok")
    assert health_words(broker_down) == "degraded: broker unreachable"
    assert "lag ?" in status_line(None, broker_down)
    behind = from_signals(1.0, SIGNALS, SchemaState(False, "0003", "0004", "…"), "degraded")
    assert health_words(behind) == "degraded: waiting for `minqing migrate`, api degraded"
    assert health_words(Snapshot(1.0, database_ok=False, broker_ok=False)) == \
        "degraded: database unreachable, broker unreachable"


def test_a_restarted_broker_does_not_show_negative_throughput() -> None:
    before = from_signals(0.0, {**SIGNALS, "committed_offsets": 900}, READY, None)
    after = from_signals(1.0, {**SIGNALS, "committed_offsets": 0}, READY, None)
    assert throughput(before, after) == 0


def test_printed_urls_hide_passwords() -> None:
    assert safe_url("postgresql+asyncpg://minqing:s3cret@db:5432/minqing") == \
        "postgresql+asyncpg://minqing:***@db:5432/minqing"
    assert safe_url("kafka://b1:9092") == "kafka://b1:9092"
