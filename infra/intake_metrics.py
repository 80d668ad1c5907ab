"""Counting one stored intake batch (`infra.metrics`), for the worker's agents."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from infra.metrics import BATCH_SECONDS, BATCH_SIZE, EVENTS, INTAKE_LATENCY
from infra.services.intake import Outcome


def count_intake(topic: str, outcomes: Sequence[Outcome], seconds: float, now: float) -> None:
    """`seconds`: to store the batch; `now`: the wall clock, for latency from the record times."""
    if not outcomes:
        return
    BATCH_SIZE.labels(topic).observe(len(outcomes))
    BATCH_SECONDS.labels(topic).observe(seconds)
    for outcome in outcomes:
        if outcome.item.timestamp is not None:
            INTAKE_LATENCY.labels(topic).observe(max(0.0, now - outcome.item.timestamp))
    for kind, n in Counter(outcome.decision.kind for outcome in outcomes).items():
        EVENTS.labels(topic, kind).inc(n)
