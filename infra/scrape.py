"""How metrics reach a Prometheus scrape.

- Every process counts its own work (`infra.metrics`).
- The processes of one machine or pod may share a directory (`MINQING_METRICS_DIR`;
  `minqing up` always gives its children one): each writes its values there and any of them
  serves the sum, so the API's `/metrics` shows the workers' counts too.
- A worker or notifier elsewhere (its own pod) serves its own `/metrics` on
  `MINQING_METRICS_PORT`.
- What belongs to the deployment rather than to a process (consumer lag, outbox backlog and
  relay lag, dead letters waiting, overdue cases) the API reads from the broker and
  PostgreSQL at scrape time (`cluster_families`), so it is right whatever runs where.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, values
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def share_directory(path: Path) -> None:
    """From now on this process writes its metrics to `path` (call before counting anything)."""
    path.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    if not getattr(values.ValueClass, "_multiprocess", False):
        values.ValueClass = values.MultiProcessValue()


def clear_directory(path: Path) -> None:
    """A fresh start for a machine's shared directory (old processes' files would add up)."""
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()


def forget_process(path: Path, pid: int) -> None:
    """A child that exited: its live gauges no longer count (its counters still do)."""
    mark_process_dead(pid, str(path))


class _Families:
    def __init__(self, sources: Iterable[Any], extra: Iterable[Metric]) -> None:
        self._sources = list(sources)
        self._extra = list(extra)

    def collect(self) -> Iterator[Metric]:
        for source in self._sources:
            yield from source.collect()
        yield from self._extra


def render(shared_dir: Path | None, extra: Iterable[Metric] = ()) -> bytes:
    """The exposition: this process's metrics, or every process's in `shared_dir`, plus `extra`."""
    if shared_dir is not None:
        shared_dir.mkdir(parents=True, exist_ok=True)  # no process has counted anything yet
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(shared_dir))
        sources: list[Any] = [registry]
    else:
        sources = [REGISTRY]
    return generate_latest(_Families(sources, extra))  # type: ignore[arg-type]


def serve_process_metrics(host: str, port: int, shared_dir: Path | None) -> Any:
    """A worker's or notifier's own `/metrics` (a thread; it dies with the process)."""
    from prometheus_client import start_http_server

    registry: Any = REGISTRY
    if shared_dir is not None:
        shared_dir.mkdir(parents=True, exist_ok=True)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(shared_dir))
    server, _ = start_http_server(port, addr=host, registry=registry)
    return server


def gauges(families: list[Metric]) -> Callable[[str, str, list[str], Iterable[tuple[list[str], float]]], None]:
    """A function that adds one `minqing_<name>` gauge family with its samples to `families`."""
    def gauge(name: str, doc: str, labels: list[str], samples: Iterable[tuple[list[str], float]]) -> None:
        family = GaugeMetricFamily(f"minqing_{name}", doc, labels=labels)
        for label_values, value in samples:
            family.add_metric(label_values, value)
        families.append(family)
    return gauge


def cluster_families(signals: dict[str, Any]) -> list[Metric]:
    """Gauges of the deployment from `infra.ops_signals.pipeline_signals`."""
    families: list[Metric] = []
    gauge = gauges(families)

    lag = signals.get("consumer_lag")
    if isinstance(lag, dict) and "error" not in lag:
        gauge("consumer_lag", "Input events the consumer group has not yet committed, by topic", ["topic"],
              (([topic], n) for topic, n in sorted(lag.items())))
        if "committed_offsets" in signals:
            gauge("consumer_committed_offsets", "Sum of the group's committed offsets over every input "
                  "partition (its rate is the deployment's intake throughput)", [],
                  [([], signals["committed_offsets"])])
    gauge("outbox_backlog", "Rows waiting for the outbox relay, by outbox", ["outbox"],
          (([name], n) for name, n in sorted(signals.get("backlog", {}).items())))
    gauge("relay_lag_seconds", "Age of the oldest case event the relay has not yet published", [],
          [([], signals.get("relay_lag_seconds", 0.0))])
    pending = signals.get("dead_letters_pending", {})
    gauge("dead_letters", "Dead letters kept in PostgreSQL, by topic and state (pending, replayed)",
          ["topic", "state"],
          [sample for topic, total in sorted(signals.get("dead_letters", {}).items())
           for sample in (([topic, "pending"], pending.get(topic, 0)),
                          ([topic, "replayed"], total - pending.get(topic, 0)))])
    gauge("overdue_open_cases", "Open cases past their current deadline", [],
          [([], signals.get("overdue_open_cases", 0))])
    oldest = signals.get("oldest_unescalated_overdue")
    gauge("unescalated_overdue_seconds", "How long the oldest overdue case has waited for its first "
          "escalation (0: none waiting)", [], [([], oldest["overdue_seconds"] if oldest else 0.0)])
    return families
