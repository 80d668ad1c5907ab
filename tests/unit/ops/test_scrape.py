"""Metrics reach a scrape: one process alone, every process of a machine through the shared
directory, and the deployment's gauges from the broker and PostgreSQL."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from infra.scrape import cluster_families, render

ROOT = Path(__file__).resolve().parents[3]
_WORKER = """
import sys
from pathlib import Path
from infra.scrape import share_directory
share_directory(Path(sys.argv[1]))
from infra.metrics import BATCH_SIZE, EVENTS, DB_POOL
EVENTS.labels("hotline.calls", "opened").inc(int(sys.argv[2]))
EVENTS.labels("hotline.calls", "rejected").inc(1)
BATCH_SIZE.labels("hotline.calls").observe(int(sys.argv[2]) + 1)
DB_POOL.labels("app", "capacity").set(20)
"""


def _values(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_workers_of_one_machine_add_up_in_the_shared_directory(tmp_path: Path) -> None:
    for count in (3, 4):  # two worker processes, each with its own pid file
        subprocess.run([sys.executable, "-c", _WORKER, str(tmp_path), str(count)], cwd=ROOT, check=True,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    values = _values(render(tmp_path).decode())
    assert values[("minqing_events_total", (("outcome", "opened"), ("topic", "hotline.calls")))] == 7
    assert values[("minqing_events_total", (("outcome", "rejected"), ("topic", "hotline.calls")))] == 2
    assert values[("minqing_intake_batch_size_count", (("topic", "hotline.calls"),))] == 2
    assert values[("minqing_intake_batch_size_sum", (("topic", "hotline.calls"),))] == 9


def test_deployment_gauges_from_the_pipeline_signals() -> None:
    signals: dict[str, Any] = {
        "consumer_lag": {"hotline.calls": 5, "diary.entries": 0}, "committed_offsets": 1200,
        "backlog": {"case_events": 3, "outgoing_events": 0, "alerts": 1}, "relay_lag_seconds": 1.5,
        "dead_letters": {"hotline.calls": 4}, "dead_letters_pending": {"hotline.calls": 1},
        "overdue_open_cases": 9, "oldest_unescalated_overdue": {"overdue_seconds": 2.0},
    }
    values = _values(render(None, cluster_families(signals)).decode())
    assert values[("minqing_consumer_lag", (("topic", "hotline.calls"),))] == 5
    assert values[("minqing_consumer_committed_offsets", ())] == 1200
    assert values[("minqing_outbox_backlog", (("outbox", "alerts"),))] == 1
    assert values[("minqing_relay_lag_seconds", ())] == 1.5
    assert values[("minqing_dead_letters", (("state", "pending"), ("topic", "hotline.calls")))] == 1
    assert values[("minqing_dead_letters", (("state", "replayed"), ("topic", "hotline.calls")))] == 3
    assert values[("minqing_overdue_open_cases", ())] == 9
    assert values[("minqing_unescalated_overdue_seconds", ())] == 2.0


def test_an_unreachable_broker_drops_the_lag_not_the_rest() -> None:
    families = cluster_families({"consumer_lag": {"error": "KafkaConnectionError"}, "overdue_open_cases": 1})
    names = {family.name for family in families}
    assert "minqing_consumer_lag" not in names and "minqing_overdue_open_cases" in names


def test_a_worker_serves_its_own_metrics_on_its_port() -> None:
    import urllib.request

    from infra.metrics import RELAYED
    from infra.runtime.processes import free_loopback_port
    from infra.scrape import serve_process_metrics

    RELAYED.labels("case_events").inc(0)
    port = free_loopback_port()
    server = serve_process_metrics("127.0.0.1", port, None)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
            text = answer.read().decode()
    finally:
        server.shutdown()
    assert ("minqing_relay_messages_total", (("outbox", "case_events"),)) in _values(text)
